"""The socket layer: a ThreadingHTTPServer that feeds requests to the Emulator.

It also carries out the network faults (drop the connection, hold it open after commit).
"""

from __future__ import annotations

import contextlib
import select
import socket
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from actiontrack.sandbox.admin_api import ADMIN_PREFIX, AdminApi
from actiontrack.sandbox.app import Emulator, Outcome
from actiontrack.sandbox.wire import Response

NO_BODY_STATUSES = (204, 304)


class SandboxServer(ThreadingHTTPServer):
    """HTTP server bound to one Emulator; handler threads are daemons."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        self.admin = AdminApi(emulator)
        super().__init__(address, SandboxHandler)


class SandboxHandler(BaseHTTPRequestHandler):
    """Reads a request, asks the Emulator, writes (or withholds) the answer."""

    protocol_version = "HTTP/1.1"
    server_version = "actiontrack-sandbox/1"
    timeout = 120
    server: SandboxServer

    def setup(self) -> None:
        """Disable Nagle: headers and body go out as separate writes."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The Date header on the emulator's clock, which tests move forward."""
        import email.utils

        return email.utils.formatdate(self.server.emulator.clock.now() if timestamp is None else timestamp,
                                      usegmt=True)

    def log_message(self, format: str, *args: object) -> None:
        """Silence: library code never prints; the request log is in the Emulator."""

    def do_GET(self) -> None:
        """Dispatch."""
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        body = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        host = headers.get("host") or "{}:{}".format(*self.server.server_address[:2])
        if self.path == ADMIN_PREFIX or self.path.startswith(ADMIN_PREFIX + "/"):
            self._send(self.server.admin.handle(self.command, self.path, headers, body, host))
            return
        outcome = self.server.emulator.handle(self.command, self.path, headers, body, host)
        self._finish(outcome)

    def _finish(self, outcome: Outcome) -> None:
        if outcome.after == "send" and outcome.response is not None:
            self._send(outcome.response)
        elif outcome.after == "hold":
            self._hold()
        else:
            self._abort()

    def _send(self, resp: Response) -> None:
        payload = b"" if resp.status in NO_BODY_STATUSES else resp.encoded()
        try:
            phrase = HTTPStatus(resp.status).phrase
        except ValueError:
            phrase = ""
        self.send_response(resp.status, phrase)
        for name, value in resp.headers.items():
            self.send_header(name, value)
        if resp.status not in NO_BODY_STATUSES:
            if payload:
                self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    def _abort(self) -> None:
        """Close the socket without answering (the client sees a dropped connection)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _hold(self) -> None:
        """Keep the connection open and silent until the client gives up (or timeout/stop)."""
        deadline = time.monotonic() + self.server.emulator.config.hold_timeout_s
        stop = self.server.emulator.stop_event
        while time.monotonic() < deadline and not stop.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.05)
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        break  # client closed its end
                except OSError:
                    break
        self._abort()
