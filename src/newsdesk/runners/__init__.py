"""Executors that run the pipeline's blocks: in this process (``local``), or on Ray (``ray``)."""
