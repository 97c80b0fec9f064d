"""Geocoding at scale: 30,000 contacts sharing 3,000 distinct location strings.

Offline: the whole network through ``GeocodingService.geocode_all`` (floor: 3 s), against a
naive baseline measured in the same run (one uncached gazetteer lookup per contact, no
dedup, no writes). Online, against a loopback Nominatim-like server with the pacing delay
cut to a millisecond: the requests sent must equal the distinct unresolved strings, and a
second run must send none.
"""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from netplanner.domain.entities import Contact
from netplanner.domain.placenames import normalize_key
from netplanner.domain.ratelimit import RateLimiter
from netplanner.paths import resource
from netplanner.services.context import build_context
from netplanner.services.geocoding.gazetteer import OfflineGazetteer
from netplanner.services.geocoding.online import OnlineGeocoder
from netplanner.services.geocoding.service import GeocodingService
from netplanner.settings import GeocodingSettings

CONTACTS = 30_000
DISTINCT = 3_000
OFFLINE_FLOOR_S = 3.0
SEED = 20261126


def location_strings(gazetteer_path: Path) -> list[str]:
    """3,000 strings with distinct keys, written the ways people write places."""
    connection = sqlite3.connect(f"{gazetteer_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT p.name, c.name FROM places p JOIN countries c ON c.code = p.country_code "
            "ORDER BY p.population DESC LIMIT 4000"
        ).fetchall()
    finally:
        connection.close()
    rng = random.Random(SEED)
    forms = (
        "{city}",
        "{city}, {country}",
        "Greater {city} Area",
        "{city} Metropolitan Area",
        "{upper}",
    )
    strings: list[str] = ["Remote", "Worldwide", "N/A", "Anywhere"]
    strings += [f"Qwxz Nowhere {n}" for n in range(40)]
    keys = {normalize_key(s) for s in strings}
    for city, country in rows:
        text = rng.choice(forms).format(city=city, country=country, upper=city.upper())
        key = normalize_key(text)
        if key not in keys:
            keys.add(key)
            strings.append(text)
        if len(strings) == DISTINCT:
            break
    return strings


def _contacts(strings: list[str], count: int) -> list[Contact]:
    rng = random.Random(SEED)
    texts = strings + [rng.choice(strings) for _ in range(count - len(strings))]
    rng.shuffle(texts)
    return [Contact(first_name=f"Bench{i}", location_text=text) for i, text in enumerate(texts)]


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None

    def do_GET(self) -> None:
        text = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        seed = sum(ord(ch) for ch in text)
        body: list[dict[str, object]] = []
        if not text.startswith(("Qwxz", "Remote", "Worldwide", "N/A", "Anywhere")):
            body = [
                {
                    "lat": str(-60 + seed % 120),
                    "lon": str(-170 + seed % 340),
                    "display_name": text,
                    "address": {"country_code": "xx"},
                }
            ]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _offline(strings: list[str], gazetteer: Path) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        context = build_context(Path(folder))
        try:
            context.contact_repo.add_many(_contacts(strings, CONTACTS))
            context.locator.locate("warm up")
            started = time.perf_counter()
            report = context.geocoding.geocode_all()
            elapsed = time.perf_counter() - started
            again = context.geocoding.geocode_all()
        finally:
            context.close()

    naive = OfflineGazetteer(gazetteer, cache_size=0)
    texts = [c.location_text or "" for c in _contacts(strings, CONTACTS)]
    started = time.perf_counter()
    for text in texts:
        naive.locate(text)
    naive_s = time.perf_counter() - started
    per_lookup_us = naive_s / len(texts) * 1e6

    cached = OfflineGazetteer(gazetteer)
    for text in strings:
        cached.locate(text)
    started = time.perf_counter()
    for text in texts:
        cached.locate(text)
    cached_us = (time.perf_counter() - started) / len(texts) * 1e6

    ok = elapsed <= OFFLINE_FLOOR_S and report.places == DISTINCT and report.requests == 0
    print(
        f"offline: {CONTACTS} contacts, {report.places} distinct strings geocoded in "
        f"{elapsed:.2f} s (floor {OFFLINE_FLOOR_S:.1f} s): located {report.located}, "
        f"not found {report.not_found}, failed {report.failed}; second run {again.places} "
        f"strings left"
    )
    print(
        f"  naive baseline (one uncached lookup per contact, no dedup, no writes): "
        f"{naive_s:.2f} s; {per_lookup_us:.0f} us per uncached lookup, "
        f"{cached_us:.1f} us per cached lookup"
    )
    print(f"  offline floor {'holds' if ok else 'FAILED'}")
    return ok


def _online(strings: list[str]) -> bool:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    host, port = str(server.server_address[0]), int(server.server_address[1])
    settings = GeocodingSettings(online=True, endpoint=f"http://{host}:{port}")
    try:
        with tempfile.TemporaryDirectory() as folder:
            context = build_context(Path(folder))
            try:
                context.contact_repo.add_many(_contacts(strings, CONTACTS))

                def factory() -> OnlineGeocoder:
                    return OnlineGeocoder(settings, "bench", limiter=RateLimiter(0.001))

                service = GeocodingService(
                    context.contact_repo,
                    context.place_repo,
                    context.locator,
                    settings,
                    online_factory=factory,
                )
                started = time.perf_counter()
                first = service.geocode_all(online=True)
                elapsed = time.perf_counter() - started
                second = service.geocode_all(online=True)
            finally:
                context.close()
    finally:
        server.shutdown()
        server.server_close()
    ok = first.requests == DISTINCT and second.requests == 0
    print(
        f"online (loopback, 1 ms pacing): {first.requests} requests for {DISTINCT} distinct "
        f"unresolved strings of {CONTACTS} contacts in {elapsed:.1f} s; located "
        f"{first.located}, not found {first.not_found}; second run: {second.requests} "
        f"requests ({second.cached} answers from the cache)"
    )
    print(f"  online requests == distinct strings: {'holds' if ok else 'FAILED'}")
    return ok


def run() -> bool:
    gazetteer = resource("gazetteer.sqlite")
    if not gazetteer.is_file():
        print("resources/gazetteer.sqlite is missing: run 'make' first")
        return False
    strings = location_strings(gazetteer)
    offline_ok = _offline(strings, gazetteer)
    online_ok = _online(strings)
    return offline_ok and online_ok
