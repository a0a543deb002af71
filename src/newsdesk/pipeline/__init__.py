"""The only composer: the stages put together, as per-item blocks and as a run over the store.

- ``blocks``: ``extract_page``, ``cluster_batch``, ``write_story`` (with ``verify_draft``)
  and ``publish_story``, plain functions with errors as values, which the CLI, the web
  server and both runners (local, Ray) call;
- ``clustering``: the one rule to load, check and save the clusterer state in a store;
- ``coverage``: earlier coverage for the writer, read from the store for ``cluster.related``;
- ``executors``: how blocks are scheduled (the protocol, ``LocalExecutor``);
- ``run``: ``run_pipeline``, every stage once over a store (``newsdesk run``).

Names are loaded on first use: ``newsdesk extract`` needs the extract block, not the
store, the clusterer or the HTTP client a run brings in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.lazy import lazy_exports

if TYPE_CHECKING:
    from newsdesk.pipeline.blocks import (
        ClusterBatch,
        ItemFailed,
        PageResult,
        StoryJob,
        StoryWriter,
        WriteOptions,
        WriteResult,
        cluster_batch,
        extract_page,
        failure_result,
        publish_story,
        verify_draft,
        write_story,
    )
    from newsdesk.pipeline.executors import Executor, LocalExecutor, Progress, batched
    from newsdesk.pipeline.run import (
        Pipeline,
        RunOptions,
        RunSummary,
        StoreHttpCache,
        run_pipeline,
    )

_WHERE = {
    **dict.fromkeys(
        (
            "ClusterBatch",
            "ItemFailed",
            "PageResult",
            "StoryJob",
            "StoryWriter",
            "WriteOptions",
            "WriteResult",
            "cluster_batch",
            "extract_page",
            "failure_result",
            "publish_story",
            "verify_draft",
            "write_story",
        ),
        "blocks",
    ),
    **dict.fromkeys(("Executor", "LocalExecutor", "Progress", "batched"), "executors"),
    **dict.fromkeys(
        ("Pipeline", "RunOptions", "RunSummary", "StoreHttpCache", "run_pipeline"), "run"
    ),
}


__getattr__ = lazy_exports(__name__, _WHERE)


__all__ = [
    "ClusterBatch",
    "Executor",
    "ItemFailed",
    "LocalExecutor",
    "PageResult",
    "Pipeline",
    "Progress",
    "RunOptions",
    "RunSummary",
    "StoreHttpCache",
    "StoryJob",
    "StoryWriter",
    "WriteOptions",
    "WriteResult",
    "batched",
    "cluster_batch",
    "extract_page",
    "failure_result",
    "publish_story",
    "run_pipeline",
    "verify_draft",
    "write_story",
]
