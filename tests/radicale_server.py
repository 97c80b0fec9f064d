"""A real Radicale CalDAV server on loopback for tests: free port, temp storage, htpasswd."""

from __future__ import annotations

import base64
import dataclasses
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER, PASSWORD = "sam", "s3cret, with; odd:chars"


@dataclasses.dataclass(frozen=True)
class Radicale:
    base: str
    calendar: str

    def request(self, method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(
            url, data=body, method=method, headers={"Authorization": f"Basic {token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_radicale(root: Path) -> Iterator[Radicale]:
    """A Radicale server on 127.0.0.1 with htpasswd auth and a fresh calendar; stopped after."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    config = root / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {root / 'users'}\n"
        "htpasswd_encryption = plain\ndelay = 0\n"
        f"[storage]\nfilesystem_folder = {root / 'collections'}\n"
        "[rights]\ntype = owner_only\n[logging]\nlevel = warning\n"
    )
    log = (root / "log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)], stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    server = Radicale(base, f"{base}/{USER}/meetings/")
    try:
        for _ in range(200):
            if process.poll() is not None:
                raise RuntimeError((root / "log").read_text())
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        status, body = server.request("MKCALENDAR", server.calendar)
        assert status == 201, body
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
