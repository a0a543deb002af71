"""Command-line options shared by several commands: the store (every command that has one), the LLM
writer's, fetching, the executor, and the clusterer's language options (``newsdesk cluster``
and ``newsdesk run``)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.errors import ConfigMismatchError

if TYPE_CHECKING:
    from newsdesk.cluster import ClusterConfig
    from newsdesk.pipeline.clustering import SavedClusterer
    from newsdesk.store import Store
    from newsdesk.write.llm import LLMConfig

StoreUrl = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite path or postgresql:// URL (default: $NEWSDESK_STORE or ./newsdesk.db).",
    ),
]


def open_store(db: str | None) -> Store:
    """Open the store named by ``--db``, first making the folder of a SQLite file (as
    ``--out`` makes its folder); a folder that cannot be made is a ``StoreError``."""
    from newsdesk.store import open_store as open_named
    from newsdesk.store.urls import make_store_folder

    make_store_folder(db)
    return open_named(db)


LlmUrl = Annotated[
    str | None,
    typer.Option("--llm-url", help="OpenAI-compatible base URL (default: $NEWSDESK_LLM_BASE_URL)."),
]
LlmModel = Annotated[
    str | None,
    typer.Option("--llm-model", help="Model name on that server (default: $NEWSDESK_LLM_MODEL)."),
]
OnFailure = Annotated[
    str,
    typer.Option("--on-failure", help="What replaces an LLM draft that fails: extractive or hold."),
]
Concurrency = Annotated[
    int, typer.Option("--concurrency", min=1, help="LLM requests in flight at once.")
]

Writer = Annotated[str, typer.Option("--writer", help="extractive or llm.")]


def check_writer(writer: str) -> None:
    """Stop with a usage error for a writer newsdesk does not have."""
    from newsdesk.write import WRITERS

    if writer not in WRITERS:
        raise typer.BadParameter(f"--writer must be {' or '.join(WRITERS)}")


def llm_config(url: str | None, model: str | None, on_failure: str, concurrency: int) -> LLMConfig:
    """Check the options and build the writer's config, or stop with a usage error.

    The server and model not given fall back to the environment's (``newsdesk.settings``).
    """
    if on_failure not in ("extractive", "hold"):
        raise typer.BadParameter("--on-failure must be extractive or hold")
    from newsdesk.write import WriterUnavailable, llm_config_from_settings

    try:
        return llm_config_from_settings(
            base_url=url, model=model, on_failure=on_failure, concurrency=concurrency
        )
    except WriterUnavailable as exc:
        raise typer.BadParameter("--writer llm needs --llm-url and --llm-model") from exc


FetchWorkers = Annotated[
    int | None,
    typer.Option(
        "--fetch-workers",
        min=1,
        help="Hosts fetched at once, one request per host (default 8, $NEWSDESK_FETCH_WORKERS).",
    ),
]

AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Allow fetching private and loopback addresses (also $NEWSDESK_ALLOW_PRIVATE=1).",
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


# The clusterer's options a store keeps (languages, headlines). Each is three-way: not
# given, the store goes on as it was made (a new store takes the defaults: languages mixed
# in a story, unlabelled articles guessed, headlines compared by meaning); given, they set
# up a new store and must agree with one clustered before.
MixLanguages = Annotated[
    bool | None,
    typer.Option(
        "--mix-languages/--separate-languages",
        help=(
            "Let a story hold articles in several languages, joined on the names and "
            "numbers they share (default), or keep one language per story. Each "
            "article's words follow its own language either way. Chosen when a store is "
            "first clustered; the store keeps it (an older store made with one language "
            "per story stays so), and giving the other one later is an error."
        ),
    ),
]
LanguageGuess = Annotated[
    bool | None,
    typer.Option(
        "--language-guess/--no-language-guess",
        help=(
            "Guess the language of articles without a language label from their words "
            "(default: on). Off, they are of unknown language: they may join a story of any "
            "language, their words read by the rules of the stream's main language (else "
            "English). Kept by the store like --mix-languages."
        ),
    ),
]
HeadlineMeaning = Annotated[
    bool | None,
    typer.Option(
        "--headline-meaning/--headline-words",
        help=(
            "Compare an English headline alone (no body) with stories by the meaning of its "
            "title too, so that two headlines sharing one word can join (default: on; static "
            "word vectors that ship inside the wordllama package), or by its words alone. "
            "Kept by the store like --mix-languages."
        ),
    ),
]


# Per config field of an option the store keeps: (flag, what it means) when the field is
# True, then when False.
_KEPT_FLAGS = {
    "separate_languages": (
        ("--separate-languages", "one language per story"),
        ("--mix-languages", "languages mixed in a story"),
    ),
    "guess_languages": (
        ("--language-guess", "unlabelled articles' languages guessed"),
        ("--no-language-guess", "unlabelled articles' languages not guessed"),
    ),
    "title_embeddings": (
        ("--headline-meaning", "headlines compared by meaning"),
        ("--headline-words", "headlines compared by words alone"),
    ),
}


class ClusterOptionsError(ConfigMismatchError):
    """An option the store keeps (``_KEPT_FLAGS``), given on the command line, contradicts
    the store's clusterer: the library's ``ConfigMismatchError``, told in terms of the
    options."""

    def __init__(self, differences: dict[str, tuple[object, object]]) -> None:
        super().__init__(differences)
        if not set(self.differences) <= set(_KEPT_FLAGS):
            return  # not an option's field: the library's message says it
        kept, asked = [], []
        for name, (stored, _) in self.differences.items():
            (flag, meaning), (other, _) = _KEPT_FLAGS[name][:: 1 if stored else -1]
            kept.append(f"{meaning} ({flag})")
            asked.append(other)
        given = " and ".join(asked)
        self.args = (
            f"this store was clustered with {' and '.join(kept)}, and keeps that; {given} "
            "would apply to new articles only and mix two rules in one store. Leave "
            f"{given} out to go on as the store was made, or cluster into a new store (--db).",
        )


def cluster_config(
    saved: SavedClusterer | None,
    mix_languages: bool | None,
    language_guess: bool | None,
    headline_meaning: bool | None = None,
) -> ClusterConfig | None:
    """The clusterer's config for this store and these options; None: as the store has it.

    A store's clusterer keeps the config it was created with (its saved state holds it,
    and a resumed run goes on with it), so the options only choose the config of a store
    not clustered yet. Given for a store clustered the other way, they would contradict it:
    the library's rule (``cluster.persist.agreed_config``) refuses that, and the error
    (ClusterOptionsError) says which option and how to go on. ``saved``: the store's
    clusterer state, read once (``pipeline.clustering.SavedClusterer.read``).
    """
    if mix_languages is None and language_guess is None and headline_meaning is None:
        return None
    from newsdesk.cluster import ClusterConfig
    from newsdesk.cluster.persist import config_differences

    wanted: dict[str, bool] = {}
    if mix_languages is not None:
        wanted["separate_languages"] = not mix_languages
    if language_guess is not None:
        wanted["guess_languages"] = language_guess
    if headline_meaning is not None:
        wanted["title_embeddings"] = headline_meaning
    stored = saved.config if saved is not None else None
    if stored is None:  # not clustered yet: the options choose, on the defaults
        return dataclasses.replace(ClusterConfig(), **wanted)
    # The options change their fields only, the rest is the store's.
    differences = config_differences(stored, dataclasses.replace(stored, **wanted))
    if differences:
        raise ClusterOptionsError(differences)
    return None  # the store's own
