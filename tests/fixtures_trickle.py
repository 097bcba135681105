"""A tracker that trickles: an HTTP server on 127.0.0.1 that sends its answer one byte at a
time, slowly, so that a per-byte read timeout never trips. Bounded: it sends at most
`max_bytes` per connection and stops with the test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

BODY = b'{"deploymentType": "Cloud", "login": "pm-bot", "issues": []}'


@dataclass
class Trickler:
    interval: float = 0.2  # seconds between two bytes
    headers_too: bool = False  # trickle from the status line on, not just the body
    max_bytes: int = 400
    port: int = 0
    connections: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Trickler:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._server.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    request += chunk
                head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n" % (len(BODY) * 100))
                slow = head + BODY * 100 if self.headers_too else BODY * 100
                if not self.headers_too:
                    conn.sendall(head)
                for sent, byte in enumerate(slow):
                    if self._stop.is_set() or sent >= self.max_bytes:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(self.interval)
            except OSError:
                return  # the client gave up: what the tests want


@pytest.fixture
def trickler() -> Iterator[Trickler]:
    server = Trickler().start()
    yield server
    server.stop()
