"""The web application: ``create_app(store, settings)`` builds it (tests build their own).

JSON API under /api, web pages at / and /stories/{id}, the Atom feed at /feed.atom,
OpenAPI docs at /docs and /redoc, their scripts served by this server (from the
fastapi-offline package), so they work without internet. Pages get a strict Content-Security-Policy (scripts and styles
only from this server), a second line of defence behind autoescaping.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from newsdesk import __version__
from newsdesk.serve.api import ExtractionSlots, build_api_router
from newsdesk.serve.openapi import install_openapi
from newsdesk.serve.pages import build_page_router, error_page
from newsdesk.serve.settings import ServeSettings
from newsdesk.store import Store, StoreError

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI and ReDoc pages start their (locally served) scripts inline.
_NO_CSP = ("/docs", "/redoc", "/openapi.json")


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if not request.url.path.startswith(_NO_CSP):
            response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        return response


def create_app(store: Store, settings: ServeSettings | None = None) -> FastAPI:
    """The newsdesk web app over ``store``."""
    settings = settings or ServeSettings.from_env()
    app = FastAPIOffline(
        title="newsdesk",
        version=__version__,
        description="Stories written from many news sources, every sentence cited.",
    )
    app.state.store = store
    app.state.settings = settings
    app.add_middleware(SecurityHeaders)
    # On app.state so an operator's tooling (and the tests) can see how busy extraction is.
    app.state.extraction_slots = ExtractionSlots(settings.max_extractions)
    app.include_router(build_api_router(store, settings, app.state.extraction_slots))
    app.include_router(build_page_router(store, settings))
    install_openapi(app)

    @app.exception_handler(StoreError)
    async def store_unavailable(request: Request, exc: StoreError) -> Response:
        return JSONResponse({"detail": f"the store failed: {exc}"}, status_code=503)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        # Readers get a page; API clients and everyone else get JSON.
        wants_html = "text/html" in request.headers.get("accept", "")
        if wants_html and not request.url.path.startswith("/api/"):
            return error_page(
                request,
                exc.status_code,
                "Not found" if exc.status_code == 404 else "Error",
                str(exc.detail),
                settings.site_title,
            )
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return JSONResponse(
            {
                "detail": f"{where}: {first.get('msg', 'invalid request')}",
                "errors": jsonable(exc.errors()),
            },
            status_code=422,
        )

    return app


def jsonable(errors: object) -> object:
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(errors)
