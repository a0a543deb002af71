"""The local runner: blocks run in this process (``LocalExecutor``, kept with the pipeline's
executor protocol in ``newsdesk.pipeline.executors``)."""

from newsdesk.pipeline.executors import LocalExecutor, batched

__all__ = ["LocalExecutor", "batched"]
