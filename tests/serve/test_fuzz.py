"""Property-based fuzzing of the JSON API (schemathesis) against a live `newsdesk serve`.

Schemathesis reads the server's own OpenAPI document and sends requests generated from it,
valid and invalid, to a real uvicorn on 127.0.0.1; each response must not be a server error
and must conform to the document (status code, content type, body schema, headers).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from newsdesk.serve.openapi import undefined_references
from newsdesk.store import open_store
from tests.serve.conftest import SERVER_START_TIMEOUT, TOKEN, fill_store
from tests.servers import free_port, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Examples per operation: enough to hit each parameter's bounds and odd bodies, small
# enough for a 2-core machine (the whole module takes well under a minute).
EXAMPLES = 40


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`newsdesk serve` over its own filled store (the fuzzer ingests into it)."""
    db = tmp_path_factory.mktemp("fuzz") / "newsdesk.db"
    with open_store(str(db)) as store:
        fill_store(store)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "NEWSDESK_INGEST_TOKEN": TOKEN, "NEWSDESK_MAX_PAGE_BYTES": "65536"}
    command = [sys.executable, "-m", "newsdesk", "serve", "--db", str(db), "--port", str(port)]
    with running_server(
        command,
        base + "/api/stories",
        db.with_name("server.log"),
        name="newsdesk serve",
        timeout=SERVER_START_TIMEOUT,
        env=env,
    ):
        yield base


@pytest.fixture(scope="module")
def api_schema(live_server: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{live_server}/openapi.json")


# Every operation of the document (test_every_operation_is_fuzzed keeps this list whole).
# Schemathesis' own pytest plugin does not run under pytest 9, so each operation's cases are
# drawn with Hypothesis from the operation's strategy.
OPERATIONS = [
    ("GET", "/api/stories"),
    ("GET", "/api/stories/{story_id}"),
    ("GET", "/api/articles/{article_id}"),
    ("POST", "/api/extract"),
    ("POST", "/api/ingest"),
    ("GET", "/api/runs"),
]

EXTRACTING = {"/api/extract", "/api/ingest"}


# Requests that break the schema, for the operations whose parameters and bodies have
# bounds to break. Not for the others: a path id is any string (there is nothing to break,
# and Hypothesis finds no case), and an unknown query parameter is ignored by design (a
# client's cache-buster), which schemathesis counts as bad data accepted.
NEGATIVE = {"/api/stories", "/api/extract", "/api/ingest"}
CASES = [(method, path, GenerationMode.POSITIVE) for method, path in OPERATIONS] + [
    (method, path, GenerationMode.NEGATIVE) for method, path in OPERATIONS if path in NEGATIVE
]


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_api_conforms_to_its_schema(
    api_schema: schemathesis.BaseSchema, method: str, path: str, mode: GenerationMode
) -> None:
    """Requests that fit the schema, and requests that break it (each must be refused with
    a 4xx, never a 5xx or a 2xx)."""
    operation = api_schema[path][method]
    # A schema-valid page may hold no article (a bare word, an empty <html>): extraction then
    # answers the documented 422 with its reason, which no schema can foresee. Every other
    # check still applies to these two, and all checks to the rest.
    excluded = [positive_data_acceptance] if path in EXTRACTING else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same requests on every run: a failure is repeatable
        database=None,
    )
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=AUTH, excluded_checks=excluded)

    fuzz()


def test_every_operation_is_fuzzed(live_server: str) -> None:
    document = httpx.get(f"{live_server}/openapi.json").json()
    documented = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert documented == set(OPERATIONS)


def test_every_reference_is_defined(live_server: str) -> None:
    document = httpx.get(f"{live_server}/openapi.json").json()
    assert undefined_references(document) == []
    defined = document["components"]["schemas"]
    assert {"ExtractRequest", "ArticleIn", "StoryList"} <= set(defined)
