"""The process runner: blocks on worker processes across this machine's cores
(``ProcessExecutor``, kept with the pipeline's executors in ``newsdesk.pipeline.processes``)."""

from newsdesk.pipeline.processes import WORKER_DIED, ProcessExecutor, available_cpus

__all__ = ["WORKER_DIED", "ProcessExecutor", "available_cpus"]
