"""The emulated Confluence answers as the documented API does: CQL, cursors, versions, refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from actiontrack.sandbox import Sandbox
from actiontrack.sandbox.cql import CqlError, Doc, parse


def cloud_session(sb: Sandbox) -> requests.Session:
    session = requests.Session()
    session.auth = (sb.config.confluence_email, sb.config.confluence_token)
    return session


@pytest.fixture
def sb(sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return sandbox_factory()


def test_cql_fields_operators_and_dates() -> None:
    now = 1_700_000_000.0
    doc = Doc(7, "OPS", "DB outage", frozenset({"postmortem", "sev1"}), now - 600, now - 86400)
    assert parse('space = "OPS" and label = postmortem', now).match(doc)
    assert parse('space = OPS and (label = "x" or label in ("sev1", "sev2"))', now).match(doc)
    assert parse('lastmodified >= now("-15m")', now).match(doc)
    assert not parse('lastmodified >= now("-5m")', now).match(doc)
    assert parse('created < "2023-11-14 00:00" and not label = draft', now).match(doc)
    assert parse("id in (7, 8) order by lastmodified desc", now).order == [("lastmodified", True)]
    for bad in ("space", "colour = red", 'lastmodified > "soon"', "space = OPS and"):
        with pytest.raises(CqlError):
            parse(bad, now)


def test_search_pages_follow_a_cursor_relative_to_base_and_count_the_total(sb: Sandbox) -> None:
    for number in range(130):
        sb.confluence.create_page("OPS", f"PM {number}", "<p>x</p>", labels=("postmortem",))
    session = cloud_session(sb)
    first = session.get(f"{sb.confluence_url}/rest/api/search",
                        params={"cql": "label = postmortem order by lastmodified desc", "limit": 500}).json()
    assert first["totalSize"] == 130 and first["size"] == 100  # limits are capped
    assert first["_links"]["base"].endswith("/confluence/wiki")
    second = session.get(first["_links"]["base"] + first["_links"]["next"]).json()
    assert second["size"] == 30 and "next" not in second["_links"]
    assert session.get(f"{sb.url}/confluence{first['_links']['next']}").status_code == 404  # not the site root


def test_updates_need_the_next_version_and_well_formed_storage(sb: Sandbox) -> None:
    page_id = sb.confluence.create_page("OPS", "PM", "<p>one</p>")
    session = cloud_session(sb)
    url = f"{sb.confluence_url}/api/v2/pages/{page_id}"

    def put(number: int, value: str, **extra: Any) -> requests.Response:
        body = {"id": page_id, "status": "current", "title": "PM", "version": {"number": number},
                "body": {"representation": "storage", "value": value}, **extra}
        return session.put(url, json=body)

    stale = put(1, "<p>two</p>")
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["title"] == "Version must be incremented on update. Current version is: 1"
    broken = put(2, "<p>two")
    assert broken.status_code == 400 and "Error parsing xhtml" in broken.json()["errors"][0]["title"]
    no_status = session.put(url, json={"id": page_id, "title": "PM", "version": {"number": 2},
                                       "body": {"representation": "storage", "value": "<p>x</p>"}})
    assert no_status.status_code == 400
    assert put(2, "<p>two</p>").status_code == 200
    page = session.get(url, params={"body-format": "storage"}).json()
    assert page["version"]["number"] == 2 and page["body"]["storage"]["value"] == "<p>two</p>"
    sb.confluence.delete_page(page_id)
    assert session.get(url).status_code == 404


def test_credentials_and_deprecated_routes(sb: Sandbox) -> None:
    assert requests.get(f"{sb.confluence_url}/rest/api/search", params={"cql": "type = page"}).status_code == 401
    wrong = requests.get(f"{sb.confluence_url}/rest/api/search", params={"cql": "type = page"},
                         auth=(sb.config.confluence_email, "nope"))
    assert wrong.status_code == 401 and "nope" not in wrong.text
    page_id = sb.confluence.create_page("OPS", "PM", "<p>x</p>")
    assert cloud_session(sb).get(f"{sb.confluence_url}/rest/api/content/{page_id}").status_code == 410
    assert sb.count("confluence", "GET", "/wiki/rest/api/content/{id}") == 1


def test_data_center_content_api(sandbox_factory: Callable[..., Sandbox]) -> None:
    dc = sandbox_factory(confluence_deployment="Server")
    page_id = dc.confluence.create_page("OPS", "PM", "<p>x</p>", labels=("postmortem",))
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {dc.config.confluence_token}"
    found = session.get(f"{dc.confluence_url}/rest/api/content/search",
                        params={"cql": f"id in ({page_id})", "expand": "body.storage,version,space"}).json()
    (page,) = found["results"]
    assert page["body"]["storage"]["value"] == "<p>x</p>" and page["space"]["key"] == "OPS"
    body = {"id": page_id, "type": "page", "title": "PM", "version": {"number": 1},
            "body": {"storage": {"value": "<p>y</p>", "representation": "storage"}}}
    stale = session.put(f"{dc.confluence_url}/rest/api/content/{page_id}", json=body)
    assert stale.status_code == 409 and stale.json()["statusCode"] == 409
    body["version"] = {"number": 2}
    assert session.put(f"{dc.confluence_url}/rest/api/content/{page_id}", json=body).status_code == 200


def test_admin_endpoints_let_a_person_write_pages(sb: Sandbox) -> None:
    created = requests.post(f"{sb.admin_url}/confluence/pages",
                            json={"space": "OPS", "title": "PM", "storage": "<p>a</p>", "labels": ["postmortem"]})
    assert created.status_code == 201
    page_id = created.json()["id"]
    edited = requests.patch(f"{sb.admin_url}/confluence/pages/{page_id}", json={"storage": "<p>b</p>"}).json()
    assert edited["version"] == 2 and edited["storage"] == "<p>b</p>"
    assert requests.delete(f"{sb.admin_url}/confluence/pages/{page_id}").status_code == 204
    assert requests.get(f"{sb.admin_url}/confluence/pages/999").status_code == 400
    assert sb.count("confluence") == 0  # admin requests are never counted


def test_v2_page_lists_link_the_next_page_from_the_site_root(sb: Sandbox) -> None:
    from actiontrack.sources.confluence.client import _next

    ids = [sb.confluence.create_page("OPS", f"PM {n}", "<p>x</p>") for n in range(3)]
    first = cloud_session(sb).get(f"{sb.confluence_url}/api/v2/pages", params={"id": ",".join(ids), "limit": 2}).json()
    assert first["_links"]["next"].startswith("/confluence/wiki/api/v2/pages?")  # the site path, as Cloud's /wiki/…
    following = _next(first, sb.confluence_url)
    assert following is not None and following.startswith(f"{sb.url}/confluence/wiki/api/v2/pages?")
    second = cloud_session(sb).get(following).json()
    assert [p["id"] for p in first["results"] + second["results"]] == ids
    v1 = {"_links": {"base": "https://x.atlassian.net/wiki", "next": "/rest/api/search?cursor=abc"}}
    assert _next(v1, "") == "https://x.atlassian.net/wiki/rest/api/search?cursor=abc"
