"""Opening a store: created on first use, clear errors, and never a password in sight."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from actiontrack.errors import StoreError
from actiontrack.store import DEFAULT_URL, Store, head_revision

SECRET = "s3cr3t-Pa55"


def test_default_store_is_created_relative_to_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with Store.open(DEFAULT_URL) as store:
        assert store.path == tmp_path / ".actiontrack" / "store.db"
        assert store.schema_version == head_revision()
    assert (tmp_path / ".actiontrack" / "store.db").is_file()


def test_nested_directories_are_created_and_the_data_persists(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/team/state/2025/store.db"
    with Store.open(url) as store:
        store.set_watermark("jira", "OPS", "w1")
    with Store.open(url) as store:
        assert store.watermark("jira", "OPS") == "w1"


def test_a_later_chdir_does_not_move_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with Store.open("sqlite:///state/store.db") as store:
        monkeypatch.chdir("/")
        store.set_watermark("jira", "OPS", "w1")
        assert store.path == tmp_path / "state" / "store.db"


def test_a_store_path_that_cannot_be_created_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "not-a-dir").write_text("")
    with pytest.raises(StoreError, match="cannot create the store"):
        Store.open(f"sqlite:///{tmp_path}/not-a-dir/store.db")


def test_in_memory_store_works_for_library_use() -> None:
    with Store.open("sqlite://") as store:
        store.set_watermark("jira", "OPS", "w1")
        assert store.watermark("jira", "OPS") == "w1"
        with store.sync_lock():
            pass


def test_url_for_display_hides_the_password(postgres_url: str) -> None:
    with_password = postgres_url.replace("://actiontrack@", f"://actiontrack:{SECRET}@")
    with Store.open(with_password) as store:  # the test cluster trusts any password
        assert SECRET not in store.url_for_display
        assert "actiontrack:***@" in store.url_for_display
        assert store.backend == "postgresql"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://kim:{SECRET}@127.0.0.1:{_closed_port()}/actiontrack",
        f"postgresql://kim:{SECRET}@127.0.0.1:{_closed_port()}/actiontrack",
        f"mysql://kim:{SECRET}@db.example/actiontrack",
        f"::not a url kim:{SECRET}@",
    ],
)
def test_errors_never_show_the_password(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    error = caught.value
    assert SECRET not in str(error) and SECRET not in (error.hint or "")
    assert SECRET not in repr(error.args)


def test_connection_failure_names_the_store(postgres_cluster: object) -> None:
    port = _closed_port()
    with pytest.raises(StoreError, match=rf"cannot open the store .*127\.0\.0\.1:{port}"):
        Store.open(f"postgresql+psycopg://kim:{SECRET}@127.0.0.1:{port}/actiontrack")


def test_unsupported_database_says_what_is(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unsupported store database 'mysql'") as caught:
        Store.open("mysql://db.example/actiontrack")
    assert caught.value.hint and "postgresql+psycopg://" in caught.value.hint


def test_unknown_report_dimension_is_a_store_error(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path}/s.db") as store, pytest.raises(
        StoreError, match="cannot count actions by colour"
    ):
        store.count_by("colour")
