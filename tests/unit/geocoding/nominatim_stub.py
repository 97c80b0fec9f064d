"""A loopback HTTP server that answers like Nominatim's /search, for the online tests.

What it answers depends on the query text:
- "empty ..."      an empty result list (the place is unknown)
- "ratelimit ..."  429 with Retry-After: 2 the first time, then found
- "error500 ..."   500 every time
- "busy503 ..."    503 the first time, then found
- "slow ..."       found, after a delay longer than the client's timeout
- "malformed ..."  a body that is not JSON
- anything else    found at a position derived from the text
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SLOW_SECONDS = 1.0


@dataclass
class StubRecord:
    """What the server saw: each request's query parameters and headers."""

    queries: list[dict[str, list[str]]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        return len(self.queries)

    def texts(self) -> list[str]:
        return [q.get("q", [""])[0] for q in self.queries]


def found_body(text: str) -> list[dict[str, object]]:
    """One Nominatim-like result; coordinates derived from the text so each is distinct."""
    seed = sum(ord(ch) for ch in text)
    lat = 10 + (seed % 600) / 10
    lon = -20 + (seed % 400) / 10
    return [
        {
            "place_id": seed,
            "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
            "lat": f"{lat:.5f}",
            "lon": f"{lon:.5f}",
            "display_name": f"{text}, Testland",
            "address": {"city": text, "state": "Test State", "country_code": "de"},
        }
    ]


class _Handler(BaseHTTPRequestHandler):
    record: StubRecord

    def log_message(self, format: str, *args: object) -> None:
        return None

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        params = parse_qs(parts.query)
        text = params.get("q", [""])[0]
        record = self.record
        with record.lock:
            record.queries.append(params)
            record.headers.append({k.lower(): v for k, v in self.headers.items()})
            record.paths.append(parts.path)
            attempt = record.seen.get(text, 0) + 1
            record.seen[text] = attempt
        word = text.split(" ", 1)[0].lower()
        if word == "empty":
            self._send(200, b"[]")
        elif word == "ratelimit" and attempt == 1:
            self._send(429, b'{"error": "rate limited"}', {"Retry-After": "2"})
        elif word == "error500":
            self._send(500, b'{"error": "server error"}')
        elif word == "busy503" and attempt == 1:
            self._send(503, b'{"error": "unavailable"}')
        elif word == "slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, json.dumps(found_body(text)).encode())
        elif word == "malformed":
            self._send(200, b"<html>this is not json")
        else:
            self._send(200, json.dumps(found_body(text)).encode())


class NominatimStub:
    """The server, running on a thread; ``url`` is its endpoint."""

    def __init__(self) -> None:
        self.record = StubRecord()
        handler = type("Handler", (_Handler,), {"record": self.record})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> NominatimStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
