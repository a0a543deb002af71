"""Command-line options shared by several commands: the LLM writer's, fetching and the executor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from newsdesk.write.llm import LLMConfig

LlmUrl = Annotated[
    str | None,
    typer.Option("--llm-url", envvar="NEWSDESK_LLM_BASE_URL", help="OpenAI-compatible base URL."),
]
LlmModel = Annotated[
    str | None,
    typer.Option("--llm-model", envvar="NEWSDESK_LLM_MODEL", help="Model name on that server."),
]
OnFailure = Annotated[
    str,
    typer.Option("--on-failure", help="What replaces an LLM draft that fails: extractive or hold."),
]
Concurrency = Annotated[
    int, typer.Option("--concurrency", min=1, help="LLM requests in flight at once.")
]


def llm_config(
    url: str | None, model: str | None, on_failure: str, concurrency: int, max_words: int
) -> LLMConfig:
    """Check the options and build the writer's config, or stop with a usage error."""
    if not url or not model:
        raise typer.BadParameter("--writer llm needs --llm-url and --llm-model")
    if on_failure not in ("extractive", "hold"):
        raise typer.BadParameter("--on-failure must be extractive or hold")
    from newsdesk.write.llm import LLMConfig  # the openai client loads only when asked for

    return LLMConfig(
        base_url=url,
        model=model,
        on_failure=on_failure,  # type: ignore[arg-type]
        concurrency=concurrency,
        max_words=max_words,
    )


FetchWorkers = Annotated[
    int | None,
    typer.Option(
        "--fetch-workers",
        min=1,
        help="Hosts fetched at once, one request per host (default 8, $NEWSDESK_FETCH_WORKERS).",
    ),
]

Executor = Annotated[
    str, typer.Option("--executor", help="local, or ray (needs pip install 'newsdesk[ray]').")
]
RayAddress = Annotated[
    str | None,
    typer.Option("--ray-address", help="Ray cluster to join (default: start a local Ray)."),
]


def check_executor(executor: str, ray_address: str | None) -> None:
    """Stop with a usage error on an unknown executor or a Ray address without Ray."""
    if executor not in ("local", "ray"):
        raise typer.BadParameter("--executor must be local or ray")
    if ray_address and executor != "ray":
        raise typer.BadParameter("--ray-address needs --executor ray")
