"""The HTTP edge as plain ASGI middleware: security headers, request size limit, per-client rate limit."""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections import OrderedDict

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 16 * 1024
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; frame-ancestors 'none'"
)
DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
]


def csp_for(path: str) -> str:
    """The Content-Security-Policy that fits the resource at path."""
    if path in ("/docs", "/redoc") or path.startswith("/docs/"):
        return DOCS_CSP
    if path == "/" or path.startswith("/bulletin/") or (path.startswith("/static/") and path.endswith(".html")):
        return PAGE_CSP
    return DATA_CSP


async def _send_json(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    *headers],
    })
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds CSP, nosniff, Referrer-Policy and Permissions-Policy to every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        extra = [(b"content-security-policy", csp_for(path).encode()), *COMMON_HEADERS]
        if path == "/widget.js":
            # The widget is loaded by other sites' pages by design.
            extra.append((b"cross-origin-resource-policy", b"cross-origin"))

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            logging.getLogger("assistant").exception("unhandled error on %s %s", scope.get("method"), path)
            if started:
                raise
            await _send_json(send_with_headers, 500, "something went wrong on our side; please try again")


class BodyLimit:
    """Refuses request bodies over MAX_BODY bytes with 413, before reading them whole."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _send_json(send, 413, f"request body too large (limit {self.limit} bytes)")
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge(self.limit)
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _send_json(send, 413, f"request body too large (limit {self.limit} bytes)")


class _TooLarge(HTTPException):
    """A streamed body went past the limit (an HTTPException, so FastAPI's body reading re-raises it)."""

    def __init__(self, limit: int = MAX_BODY) -> None:
        super().__init__(413, f"request body too large (limit {limit} bytes)")


_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour)\s*$")
_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}


def parse_rate(text: str) -> tuple[int, float] | None:
    """'30/minute' -> (30, 60.0); 'off' -> None; anything else is a ValueError naming the forms allowed."""
    if text.strip().lower() in ("off", "none", "0", ""):
        return None
    match = _RATE.match(text.lower())
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"rate limit {text!r} must look like 30/minute (second, minute or hour) or 'off'")
    return int(match.group(1)), _PERIODS[match.group(2)]


LIMITED_PATHS = ("/api/ask",)


class RateLimiter:
    """A token bucket per client for questions, answering 429 with Retry-After when empty.

    The client is the connection's address; X-Forwarded-For is believed only when that address is a
    configured trusted proxy (otherwise anyone could claim to be anyone).
    """

    MAX_CLIENTS = 50_000

    def __init__(self, app: ASGIApp, limit: str = "30/minute", trusted_proxies: tuple[str, ...] = ()) -> None:
        self.app = app
        self.rate = parse_rate(limit)
        self.trusted = set(trusted_proxies)
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def client(self, scope: Scope) -> str:
        """The address to count requests against."""
        peer = (scope.get("client") or ("unknown", 0))[0]
        if peer in self.trusted:
            forwarded = dict(scope.get("headers", [])).get(b"x-forwarded-for", b"").decode("latin-1")
            hops = [h.strip() for h in forwarded.split(",") if h.strip()]
            for hop in reversed(hops):  # the right-most address not added by our own proxies
                if hop not in self.trusted:
                    return hop[:64]
        return peer

    def take(self, client: str, now: float) -> float:
        """Spend a token for client; 0 if allowed, else seconds until one is available."""
        capacity, period = self.rate
        tokens, stamp = self.buckets.pop(client, (float(capacity), now))
        tokens = min(capacity, tokens + (now - stamp) * capacity / period)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) * period / capacity
        self.buckets[client] = (tokens, now)
        while len(self.buckets) > self.MAX_CLIENTS:
            self.buckets.popitem(last=False)
        return wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.rate is None
            or scope["type"] != "http"
            or scope.get("path", "") not in LIMITED_PATHS  # answering is the costly part; pages and contacts are cheap
            or scope.get("method") == "OPTIONS"
        ):
            await self.app(scope, receive, send)
            return
        wait = self.take(self.client(scope), time.monotonic())
        if wait > 0:
            retry = str(max(1, math.ceil(wait))).encode()
            await _send_json(send, 429, "too many questions; please wait a moment and try again",
                             [(b"retry-after", retry)])
            return
        await self.app(scope, receive, send)
