"""The OpenAPI document: FastAPI's, plus the request bodies read by hand, so that every
schema the document references is defined in it (client generators need that)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from newsdesk.serve.schemas import ArticleIn, ExtractRequest

# Bodies that /api/extract and /api/ingest parse themselves (they also take raw pages), so
# FastAPI does not see them as parameters and would leave them out of the components.
HAND_READ_BODIES: tuple[type[BaseModel], ...] = (ExtractRequest, ArticleIn)
_REF = "#/components/schemas/{model}"


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` build (once) a document that defines every schema it names."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for model in HAND_READ_BODIES:
                schemas.setdefault(model.__name__, model.model_json_schema(ref_template=_REF))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def undefined_references(document: dict[str, Any]) -> list[str]:
    """The ``$ref`` targets in ``document`` that it does not define (none, when it is whole)."""
    missing: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not _resolves(document, ref):
                missing.append(ref)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document)
    return sorted(set(missing))


def _resolves(document: dict[str, Any], ref: str) -> bool:
    if not ref.startswith("#/"):
        return False
    node: object = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True
