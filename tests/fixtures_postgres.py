"""PostgreSQL fixtures: a throwaway cluster per test session, a fresh database per test.

Fixtures for any suite:

- ``postgres_cluster`` (session): a running cluster on 127.0.0.1, stopped at session end.
- ``postgres_url`` (function): the URL of a fresh, empty database, dropped afterwards.
- ``store_url`` (function, parametrized ``sqlite``/``postgres``): a store URL for each
  backend, so one suite runs unchanged against a SQLite file and a real PostgreSQL.

initdb refuses to run as root, and tests run as root in CI: then the cluster is created
and run by the ``postgres`` system user in a temporary directory that user owns. The
tests skip only where the PostgreSQL binaries are absent.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

PG_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"),)
SUPERUSER = "actiontrack"
SYSTEM_USER = "postgres"  # who runs the cluster when the tests run as root
READY_TIMEOUT = 30.0


@dataclass(frozen=True)
class PostgresCluster:
    """A running throwaway cluster: where it listens and how to reach it."""

    host: str
    port: int
    user: str
    base_dir: Path

    def url(self, dbname: str) -> str:
        """A SQLAlchemy URL for ``dbname`` (trust auth: no password)."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def admin_connect(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the maintenance database, for CREATE/DROP DATABASE."""
        return psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        with self.admin_connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_binary(name: str) -> str | None:
    for directory in PG_BIN_DIRS:
        if (directory / name).is_file():
            return str(directory / name)
    return shutil.which(name)


def _as_cluster_owner(argv: list[str]) -> list[str]:
    """Run as the postgres system user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", SYSTEM_USER, "--", *argv]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(argv: list[str], cwd: Path) -> None:
    result = subprocess.run(
        _as_cluster_owner(argv), cwd=cwd, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


def _make_base_dir() -> Path:
    """A temp dir the cluster owner can write (pytest's tmp dirs are root-only)."""
    base = Path(tempfile.mkdtemp(prefix="actiontrack-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, user=SYSTEM_USER)
    return base


def _wait_ready(cluster: PostgresCluster) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        try:
            with cluster.admin_connect() as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _start(pg_ctl: str, base: Path, data: Path) -> PostgresCluster:
    """Start on a free port; retry a couple of times in case the port was taken meanwhile."""
    last_error: Exception | None = None
    for _attempt in range(3):
        port = _free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {base} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        try:
            _run([pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-o", options,
                  "-w", "-t", str(int(READY_TIMEOUT)), "start"], cwd=base)
        except RuntimeError as exc:
            last_error = exc
            continue
        cluster = PostgresCluster("127.0.0.1", port, SUPERUSER, base)
        _wait_ready(cluster)
        return cluster
    raise RuntimeError(f"could not start PostgreSQL: {last_error}")


def _stop(pg_ctl: str, data: Path, base: Path) -> None:
    """Stop fast; if pg_ctl cannot, kill the postmaster so no server outlives the session."""
    try:
        _run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "-t", "20", "stop"], cwd=base)
    except (RuntimeError, subprocess.TimeoutExpired):
        pid_file = data / "postmaster.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 for the whole test session."""
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL initdb/pg_ctl not found on PATH or in /usr/lib/postgresql/15/bin")
    base = _make_base_dir()
    data = base / "data"
    _run([initdb, "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
          "--no-locale", "--no-sync"], cwd=base)
    try:
        cluster = _start(pg_ctl, base, data)
    except BaseException:
        _stop(pg_ctl, data, base)
        shutil.rmtree(base, ignore_errors=True)
        raise
    try:
        yield cluster
    finally:
        _stop(pg_ctl, data, base)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """The URL of a fresh, empty database, dropped after the test."""
    name = postgres_cluster.create_database()
    try:
        yield postgres_cluster.url(name)
    finally:
        postgres_cluster.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL per backend: a SQLite file in tmp_path, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("postgres_url"))
