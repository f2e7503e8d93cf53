"""The FastAPI app: routes, request and response models, and the HTTP edge (CORS, headers, limits).

Questions may hold personal data about children: they are redacted before anything else reads
them, never logged unless ASSISTANT_LOG_QUESTIONS is on, and never stored.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant import __version__
from assistant.answer import Answerer, QuestionError, citation, contact_dict
from assistant.config import Settings
from assistant.contacts import UnknownArea, check_area, escalation
from assistant.edge import BodyLimit, RateLimiter, SecurityHeaders
from assistant.library import Library
from assistant.privacy import redact, warning_for, without_placeholders

log = logging.getLogger("assistant")
MAX_QUESTION = 500


# ---------------------------------------------------------------------------- models


class AskRequest(BaseModel):
    """A question, and optionally the area whose duty team to show first."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="The question, 1 to 500 characters after trimming.")
    area: str | None = Field(default=None, description="leicestershire, rutland or leicester-city")

    @field_validator("question")
    @classmethod
    def _question_length(cls, value: str) -> str:
        value = " ".join(value.replace("\x00", " ").split())
        if not "".join(ch for ch in value if unicodedata.category(ch) != "Cf"):  # zero-width marks alone
            raise ValueError("the question is empty; please type a question")
        if not value:
            raise ValueError("the question is empty; please type a question")
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ValueError("the question contains characters that are not valid text; please retype it")
        if len(value) > MAX_QUESTION:
            raise ValueError(f"the question is too long ({len(value)} characters); the limit is {MAX_QUESTION}")
        return value


class ErrorOut(BaseModel):
    """Every error: one sentence a person can read."""

    detail: str


ERRORS = {422: {"model": ErrorOut, "description": "The request was not valid; detail says why."}}


class CitationOut(BaseModel):
    bulletin: str
    bulletin_id: str
    case: str | None
    section: str | None
    label: str
    url: str


class QuoteOut(BaseModel):
    passage_id: str
    text: str
    score: float
    matched_terms: list[str]
    kind: str
    citation: CitationOut
    also_in: list[CitationOut] = []


class ContactOut(BaseModel):
    area: str
    area_id: str
    phone: str
    tel: str
    email: str | None
    when: str


class AskResponse(BaseModel):
    question: str
    answers: list[QuoteOut]
    no_match: bool
    urgent: bool
    message: str
    contacts: list[ContactOut]
    corrections: dict[str, str] = {}
    personal_data_warning: str | None = None


class ContactsResponse(BaseModel):
    area: str | None
    contacts: list[ContactOut]


class PassageOut(BaseModel):
    id: str
    bulletin_id: str
    text: str
    kind: str
    section: str | None
    case: str | None
    line_start: int
    line_end: int
    citation: CitationOut


class BulletinSummary(BaseModel):
    id: str
    title: str
    issue: str | None
    date: str | None
    name: str
    passages: int
    url: str


class BulletinsResponse(BaseModel):
    bulletins: list[BulletinSummary]


class BulletinOut(BaseModel):
    id: str
    title: str
    issue: str | None
    date: str | None
    name: str
    passages: list[PassageOut]


class Health(BaseModel):
    status: str
    version: str
    passages: int
    bulletins: int


# ---------------------------------------------------------------------------- app


class JsonCORS(CORSMiddleware):
    """CORS whose refused preflight is the API's JSON error, not text/plain."""

    def preflight_response(self, request_headers):
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        headers = {k: v for k, v in response.headers.items() if k not in ("content-type", "content-length")}
        return JSONResponse({"detail": response.body.decode()}, status_code=400, headers=headers)


async def current_answerer(request: Request) -> Answerer:  # async: no thread hop per request
    """The Answerer over the index being served right now."""
    return request.app.state.library.answerer()


Current = Annotated[Answerer, Depends(current_answerer)]


def _readable(exc: RequestValidationError) -> str:
    """One sentence from pydantic's validation errors, fit to show a person."""
    messages = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        if error.get("type") == "json_invalid":
            message = "the request body is not valid JSON"
        elif error.get("type") == "missing":
            message = f"{where or 'a field'} is required"
        elif error.get("type") == "model_attributes_type":
            message = 'the body must be a JSON object like {"question": "..."}'
        elif where and not message.startswith(("the question", where)):
            message = f"{where}: {message}"
        messages.append(message)
    return "; ".join(dict.fromkeys(messages)) or "invalid request"


def create_app(settings: Settings | None = None, notify: Callable[[str], None] = lambda _: None) -> FastAPI:
    """Assemble the app: load the index (building it if stale), add the edge middleware and the routes."""
    settings = settings or Settings.from_env()
    library = Library(settings, notify)
    app = FastAPI(
        title="Safeguarding guidance assistant",
        version=__version__,
        description="Answers practitioners' questions from the LSCB learning bulletins, quoted verbatim and cited.",
        responses=ERRORS,
    )
    app.state.library = library
    app.state.settings = settings

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _readable(exc)}, status_code=422)

    _routes(app, library, settings)
    web = settings.web_dir
    if web.is_dir():
        app.mount("/static", StaticFiles(directory=web), name="static")
    # The last added runs outermost: security headers on every response, then CORS (so that a
    # widget on another site can read a 413 or 429 too), then the size and rate limits.
    app.add_middleware(RateLimiter, limit=settings.rate_limit, trusted_proxies=settings.trusted_proxies)
    app.add_middleware(BodyLimit)
    app.add_middleware(
        JsonCORS,
        allow_origins=list(settings.allowed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        expose_headers=["Retry-After"],
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(SecurityHeaders)
    return app


def _routes(app: FastAPI, library: Library, settings: Settings) -> None:
    """Register the API routes and the pages."""

    @app.post("/api/ask", response_model=AskResponse, tags=["answers"])
    async def ask(body: AskRequest, current: Current) -> dict:
        """Answer a question with quoted, cited passages and the duty contacts."""
        redaction = redact(body.question)
        if settings.log_questions:
            log.info("question: %s", redaction.text)
        try:
            area = check_area(current.index.contacts(), body.area)
            answer = current.answer(without_placeholders(redaction.text), area)
        except (UnknownArea, QuestionError) as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        result = answer.to_dict()
        result["question"] = redaction.text
        result["personal_data_warning"] = warning_for(redaction)
        return result

    @app.get("/api/contacts", response_model=ContactsResponse, tags=["contacts"])
    async def contacts(current: Current, area: Annotated[str | None, Query(max_length=40)] = None) -> dict:
        """The duty contacts, the chosen area's team first, and the emergency number."""
        try:
            chosen = check_area(current.index.contacts(), area)
        except UnknownArea as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        ordered = escalation(current.index.contacts(), current.emergency, chosen)
        return {"area": chosen, "contacts": [contact_dict(c) for c in ordered]}

    @app.get("/api/passages/{passage_id}", response_model=PassageOut, tags=["bulletins"])
    async def passage(passage_id: str, current: Current) -> dict:
        """One passage with its citation."""
        found = current.index.passage(passage_id[:200])
        if found is None:
            raise HTTPException(status_code=404, detail="no passage with that id")
        return _passage_dict(current, found)

    @app.get("/api/bulletins", response_model=BulletinsResponse, tags=["bulletins"])
    async def bulletins(current: Current) -> dict:
        """Every bulletin served, newest first."""
        counts: dict[str, int] = {}
        for p in current.index.passages:
            counts[p.bulletin_id] = counts.get(p.bulletin_id, 0) + 1
        return {
            "bulletins": [
                {"id": b.id, "title": b.title, "issue": b.issue, "date": b.date, "name": b.name,
                 "passages": counts.get(b.id, 0), "url": f"/bulletin/{b.id}"}
                for b in current.index.bulletins
            ]
        }

    @app.get("/api/bulletins/{bulletin_id}", response_model=BulletinOut, tags=["bulletins"])
    async def bulletin(bulletin_id: str, current: Current) -> dict:
        """A whole bulletin as structured passages in document order."""
        info = current.index.bulletin(bulletin_id[:200])
        if info is None:
            raise HTTPException(status_code=404, detail="no bulletin with that id")
        passages = [_passage_dict(current, p) for p in current.index.passages if p.bulletin_id == info.id]
        return {"id": info.id, "title": info.title, "issue": info.issue, "date": info.date, "name": info.name,
                "passages": passages}

    @app.get("/healthz", response_model=Health, tags=["health"])
    async def healthz() -> dict:
        """Liveness and what is being served."""
        index = library.answerer().index
        return {"status": "ok", "version": __version__, "passages": len(index.passages),
                "bulletins": len(index.bulletins)}

    web = settings.web_dir

    def page(name: str, media_type: str | None = None) -> Response:
        path = web / name
        if not path.is_file():
            raise HTTPException(status_code=404, detail="not found")
        return FileResponse(path, media_type=media_type)

    @app.get("/", include_in_schema=False)
    async def index_page() -> Response:
        return page("index.html")

    @app.get("/bulletin/{bulletin_id}", include_in_schema=False)
    async def bulletin_page(bulletin_id: str) -> Response:
        return page("bulletin.html")

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> Response:
        return page("widget.js", "text/javascript; charset=utf-8")


def _passage_dict(current: Answerer, passage) -> dict:
    """A passage as the API shows it."""
    return {
        "id": passage.id,
        "bulletin_id": passage.bulletin_id,
        "text": passage.text,
        "kind": passage.kind,
        "section": passage.section,
        "case": passage.case,
        "line_start": passage.line_start,
        "line_end": passage.line_end,
        "citation": citation(current.index, passage).__dict__,
    }

