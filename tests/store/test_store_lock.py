"""The sync lock: a second sync waits, then fails saying who holds the store."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from actiontrack.errors import LockedError
from actiontrack.store import Store

# Another sync, in another process: holds the lock until told to stop (or killed).
HOLDER = """
import sys
from actiontrack.store import Store
with Store.open(sys.argv[1]) as store, store.sync_lock():
    print("locked", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as store:
        yield store


@pytest.fixture
def other_sync(store: Store, store_url: str) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, store_url], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    yield proc
    proc.kill()
    proc.wait(timeout=10)


def test_second_sync_waits_then_fails_naming_the_holder(
    store: Store, other_sync: subprocess.Popen[str]
) -> None:
    started = time.monotonic()
    with pytest.raises(LockedError) as caught, store.sync_lock(wait=0.6):
        pytest.fail("got the lock while another sync holds it")
    assert time.monotonic() - started >= 0.6
    message = str(caught.value)
    assert "another sync is running" in message
    assert f"pid {other_sync.pid}" in message
    assert "after waiting 0.6s" in message
    assert caught.value.hint and "--wait" in caught.value.hint


def test_lock_is_free_once_the_other_sync_finishes(
    store: Store, other_sync: subprocess.Popen[str]
) -> None:
    assert other_sync.stdin is not None
    other_sync.stdin.write("done\n")
    other_sync.stdin.flush()
    other_sync.wait(timeout=10)
    with store.sync_lock(wait=5):
        pass


def test_lock_of_a_killed_sync_is_released(
    store: Store, other_sync: subprocess.Popen[str]
) -> None:
    other_sync.kill()
    other_sync.wait(timeout=10)
    with store.sync_lock(wait=5):
        pass


def test_waiting_sync_gets_the_lock_when_released(store: Store) -> None:
    held = threading.Event()

    def first_sync() -> None:
        with store.sync_lock():
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=first_sync)
    thread.start()
    assert held.wait(timeout=10)
    started = time.monotonic()
    with store.sync_lock(wait=10):
        waited = time.monotonic() - started
    thread.join()
    assert 0.2 <= waited < 5


def test_without_wait_a_held_lock_fails_at_once(store: Store) -> None:
    with store.sync_lock():
        started = time.monotonic()
        with pytest.raises(LockedError, match="is locked by"), store.sync_lock():
            pass
        assert time.monotonic() - started < 1
    with store.sync_lock():  # released after the block
        pass
