"""Executors that run the pipeline's per-item stages: in this process, or on a Ray cluster."""
