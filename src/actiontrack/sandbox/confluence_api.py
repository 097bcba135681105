"""Confluence REST handlers, Cloud (under /wiki) or Data Center, mounted under /confluence.

Cloud: `GET /wiki/rest/api/search` (CQL, cursor in `_links.next` relative to `_links.base`,
`totalSize`), `GET /wiki/api/v2/pages` (`id`, `body-format`, `limit` ≤ 250),
`GET|PUT /wiki/api/v2/pages/{id}`, `POST /wiki/api/v2/users-bulk`; the v1 `content/{id}`
routes answer 410 as deprecated. Data Center: `GET /rest/api/search`,
`GET /rest/api/content/search` (`expand`, `start`/`limit`), `GET|PUT /rest/api/content/{id}`,
`GET /rest/api/user?key=`. Updates must carry version = current + 1 (else 409) and
well-formed storage (else 400 "Error parsing xhtml"); Cloud adds `ac:macro-id` to the
macros it stores, as the real site rewrites storage on save.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import uuid
from typing import Any
from urllib.parse import quote, urlsplit
from xml.parsers import expat

from actiontrack.sandbox.clock import Clock
from actiontrack.sandbox.config import SandboxConfig
from actiontrack.sandbox.confluence_state import ConfluenceStore, Page, Version
from actiontrack.sandbox.cql import CqlError, Doc, parse, sort
from actiontrack.sandbox.router import Router
from actiontrack.sandbox.wire import HttpError, Request, Response

SEARCH_LIMIT = 100
V2_LIMIT = 250
_MACRO = re.compile(r"<ac:structured-macro(?![^>]*ac:macro-id)")


def iso(moment: float) -> str:
    stamp = dt.datetime.fromtimestamp(moment, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.")
    return stamp + f"{int(moment * 1000) % 1000:03d}Z"


class ConfluenceApi:
    def __init__(self, config: SandboxConfig, store: ConfluenceStore, clock: Clock) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.cloud = config.confluence_deployment == "Cloud"
        self.prefix = "/wiki" if self.cloud else ""
        self.router = Router()
        self._path = ""
        self._register()

    def _register(self) -> None:
        add, p = self.router.add, self.prefix
        add("GET", f"{p}/rest/api/search", self.search)
        if self.cloud:
            add("GET", f"{p}/api/v2/pages", self.v2_pages)
            add("GET", f"{p}/api/v2/pages/{{id}}", self.v2_page)
            add("PUT", f"{p}/api/v2/pages/{{id}}", self.v2_update)
            add("POST", f"{p}/api/v2/users-bulk", self.v2_users)
            add("GET", f"{p}/rest/api/content/{{id}}", self.deprecated)
            add("PUT", f"{p}/rest/api/content/{{id}}", self.deprecated)
        else:
            add("GET", "/rest/api/content/search", self.content_search)
            add("GET", "/rest/api/content/{id}", self.v1_page)
            add("PUT", "/rest/api/content/{id}", self.v1_update)
            add("GET", "/rest/api/user", self.v1_user)

    # -- auth ----------------------------------------------------------------------------------

    def authenticate(self, req: Request) -> Response | None:
        self._path = req.path  # errors take the shape of the API generation asked (v1 or v2)
        header = req.header("authorization") or ""
        scheme, _, value = header.partition(" ")
        if self.cloud and scheme.lower() == "basic":
            try:
                user, _, secret = base64.b64decode(value).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                user, secret = "", ""
            if user == self.config.confluence_email and secret == self.config.confluence_token:
                return None
        if not self.cloud and scheme.lower() == "bearer" and value.strip() == self.config.confluence_token:
            return None
        return self.error(401, "Basic authentication with passwords is deprecated or the credentials are invalid"
                          if header else "This request requires authentication")

    # -- errors --------------------------------------------------------------------------------

    def error(self, status: int, message: str) -> Response:
        if self.cloud and status in (400, 404, 409) and "/api/v2/" in getattr(self, "_path", ""):
            code = {400: "INVALID_REQUEST_PARAMETER", 404: "NOT_FOUND", 409: "CONFLICT"}[status]
            return Response(status, {"errors": [{"status": status, "code": code, "title": message, "detail": None}]})
        return Response(status, {"statusCode": status, "data": {"authorized": status != 401, "valid": True,
                                                                 "errors": [], "successful": False},
                                 "message": message})

    def fail(self, status: int, message: str) -> HttpError:
        return HttpError(self.error(status, message))

    # -- search --------------------------------------------------------------------------------

    def _query(self, cql: str | None) -> list[tuple[Page, Version]]:
        if not cql:
            raise self.fail(400, "CQL query parameter is required")
        try:
            query = parse(cql, self.clock.now())
        except CqlError as exc:
            raise self.fail(400, str(exc)) from None
        seen = {page.id: (page, version) for page, version in self.store.searchable()}
        docs = [Doc(page.id, page.space, version.title, frozenset(page.labels), version.at, page.versions[0].at)
                for page, version in seen.values()]
        return [seen[d.id] for d in sort([d for d in docs if query.match(d)], query.order)]

    def _window(self, req: Request, limit_cap: int) -> tuple[int, int]:
        cursor = req.arg("cursor")
        start = _int(req.arg("start"), 0)
        if cursor:
            try:
                start = int(json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())["offset"])
            except (ValueError, KeyError, binascii.Error):
                raise self.fail(400, "The provided cursor was not valid") from None
        limit = min(max(_int(req.arg("limit"), 25), 0), limit_cap)
        return start, limit

    def _next(self, route: str, req: Request, start: int, limit: int, total: int, cursor: bool) -> str | None:
        following = start + limit
        if following >= total or limit == 0:
            return None
        params = {k: v[-1] for k, v in req.query.items() if k not in ("cursor", "start", "next")}
        if cursor:
            token = base64.urlsafe_b64encode(json.dumps({"offset": following}).encode()).decode()
            query = "&".join(["next=true", f"cursor={quote(token)}"] + [f"{k}={quote(v)}" for k, v in params.items()])
        else:
            params["start"] = str(following)
            query = "&".join(f"{k}={quote(v)}" for k, v in params.items())
        return f"{route}?{query}"

    def _links(self, req: Request, following: str | None) -> dict[str, str]:
        links = {"base": f"{req.base_url}{self.prefix}", "context": self.prefix, "self": f"{req.base_url}{req.path}"}
        if following:
            links["next"] = following
        return links

    def search(self, req: Request) -> Response:
        found = self._query(req.arg("cql"))
        start, limit = self._window(req, SEARCH_LIMIT)
        window = found[start : start + limit]
        results = [self._hit(page, version) for page, version in window]
        following = self._next("/rest/api/search", req, start, limit, len(found), cursor=True)
        return Response(200, {"results": results, "start": start, "limit": limit, "size": len(results),
                              "totalSize": len(found), "cqlQuery": req.arg("cql"), "searchDuration": 12,
                              "_links": self._links(req, following)})

    def _hit(self, page: Page, version: Version) -> dict[str, Any]:
        return {
            "content": {"id": str(page.id), "type": "page", "status": page.status, "title": version.title,
                        "_links": {"webui": self._webui(page, version)}},
            "title": version.title, "excerpt": "", "url": self._webui(page, version),
            "resultGlobalContainer": {"title": page.space, "displayUrl": f"/spaces/{page.space}"},
            "breadcrumbs": [], "entityType": "content", "iconCssClass": "aui-icon content-type-page",
            "lastModified": iso(version.at), "friendlyLastModified": "just now",
        }

    def _webui(self, page: Page, version: Version) -> str:
        slug = quote(version.title.replace(" ", "+"), safe="+")
        if self.cloud:
            return f"/spaces/{page.space}/pages/{page.id}/{slug}"
        return f"/pages/viewpage.action?pageId={page.id}"

    # -- Cloud v2 ------------------------------------------------------------------------------

    def _v2(self, page: Page, req: Request, body: bool) -> dict[str, Any]:
        version = page.current
        out: dict[str, Any] = {
            "id": str(page.id), "status": page.status, "title": version.title,
            "spaceId": str(self.store.spaces[page.space]), "parentId": None, "parentType": None,
            "authorId": self._account(page.versions[0].author), "createdAt": iso(page.versions[0].at),
            "version": {"number": version.number, "createdAt": iso(version.at), "message": version.message,
                        "minorEdit": False, "authorId": self._account(version.author)},
            "_links": {"webui": self._webui(page, version), "editui": f"/pages/resumedraft.action?draftId={page.id}",
                       "tinyui": f"/x/{page.id}"},
        }
        if body:
            out["body"] = {"storage": {"representation": "storage", "value": version.storage}}
        return out

    def _account(self, username: str) -> str:
        person = self.store.person(username)
        return person.account_id if person else username

    def v2_pages(self, req: Request) -> Response:
        self._path = req.path
        ids = [i for i in req.arg_list("id") if i]
        if any(not i.isdigit() for i in ids):
            raise self.fail(400, "Provided value for 'id' is not the correct type")
        if len(ids) > V2_LIMIT:
            raise self.fail(400, f"Too many ids: at most {V2_LIMIT}")
        status = set(req.arg_list("status")) or {"current", "archived"}
        pages = [p for p in sorted(self.store.pages.values(), key=lambda p: p.id)
                 if (not ids or str(p.id) in ids) and p.status in status]
        start, limit = self._window(req, V2_LIMIT)
        window = pages[start : start + limit]
        body = req.arg("body-format") == "storage"
        # v2 links carry the site path (/wiki/api/v2/…), unlike v1's, which are relative to base
        mount = urlsplit(req.base_url).path
        following = self._next(f"{mount}{self.prefix}/api/v2/pages", req, start, limit, len(pages), cursor=True)
        links = {"base": f"{req.base_url}{self.prefix}"}
        headers = {}
        if following:
            links["next"] = following
            headers["Link"] = f'<{following}>; rel="next", <{req.base_url}{self.prefix}>; rel="base"'
        return Response(200, {"results": [self._v2(p, req, body) for p in window], "_links": links}, headers=headers)

    def v2_page(self, req: Request) -> Response:
        self._path = req.path
        page = self.store.find(req.params["id"])
        if page is None:
            raise self.fail(404, "Not Found")
        out = self._v2(page, req, req.arg("body-format") == "storage")
        out["_links"]["base"] = f"{req.base_url}{self.prefix}"
        return Response(200, out)

    def v2_update(self, req: Request) -> Response:
        self._path = req.path
        page = self.store.find(req.params["id"])
        if page is None:
            raise self.fail(404, "Not Found")
        data = _body(req, self)
        if str(data.get("id")) != str(page.id):
            raise self.fail(400, "The id in the body does not match the path")
        if data.get("status") not in ("current", "draft"):
            raise self.fail(400, "Status is required: 'current' or 'draft'")
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            raise self.fail(400, "Title is required")
        body = data.get("body")
        if not isinstance(body, dict) or body.get("representation") != "storage" or not isinstance(
                body.get("value"), str):
            raise self.fail(400, "body.representation must be 'storage' with a string value")
        storage = self._check_version_and_storage(page, data, body["value"])
        self.store.edit(page.id, storage=_MACRO.sub(_with_macro_id, storage), title=title,
                        author=self.store.api_user, message=str(_version(data).get("message") or ""))
        out = self._v2(page, req, True)
        out["_links"]["base"] = f"{req.base_url}{self.prefix}"
        return Response(200, out)

    def _check_version_and_storage(self, page: Page, data: dict[str, Any], storage: str) -> str:
        number = _version(data).get("number")
        current = page.current.number
        if not isinstance(number, int) or number != current + 1:
            raise self.fail(409, f"Version must be incremented on update. Current version is: {current}")
        problem = xhtml_problem(storage)
        if problem:
            raise self.fail(400, f"Error parsing xhtml: {problem}")
        return storage

    def v2_users(self, req: Request) -> Response:
        self._path = req.path
        data = _body(req, self)
        ids = data.get("accountIds")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise self.fail(400, "accountIds must be a list of account ids")
        results = [{"accountId": p.account_id, "displayName": p.display_name, "publicName": p.display_name,
                    "accountType": "atlassian", "accountStatus": "active", "email": ""}
                   for i in ids if (p := self.store.people.get(i)) is not None]
        return Response(200, {"results": results, "_links": {}})

    def deprecated(self, req: Request) -> Response:
        return self.error(410, "This endpoint is deprecated: use /wiki/api/v2/pages/{id}")

    # -- Data Center ---------------------------------------------------------------------------

    def _v1(self, page: Page, expand: set[str]) -> dict[str, Any]:
        version = page.current
        author = self.store.person(version.author)
        out: dict[str, Any] = {
            "id": str(page.id), "type": "page", "status": page.status, "title": version.title,
            "_links": {"webui": self._webui(page, version), "tinyui": f"/x/{page.id}",
                       "self": f"/rest/api/content/{page.id}"},
            "_expandable": {"space": f"/rest/api/space/{page.space}", "version": "", "body": ""},
        }
        if "space" in expand:
            out["space"] = {"key": page.space, "name": page.space, "type": "global"}
        if "version" in expand:
            out["version"] = {"number": version.number, "when": iso(version.at), "message": version.message,
                              "by": {"type": "known", "username": author.username if author else version.author,
                                     "userKey": author.user_key if author else "",
                                     "displayName": author.display_name if author else version.author}}
        if "body.storage" in expand:
            out["body"] = {"storage": {"value": version.storage, "representation": "storage"}}
        return out

    def content_search(self, req: Request) -> Response:
        found = self._query(req.arg("cql"))
        start, limit = self._window(req, SEARCH_LIMIT if "body.storage" not in req.arg_list("expand") else 50)
        window = found[start : start + limit]
        expand = set(req.arg_list("expand"))
        following = self._next("/rest/api/content/search", req, start, limit, len(found), cursor=False)
        return Response(200, {"results": [self._v1(page, expand) for page, _ in window], "start": start,
                              "limit": limit, "size": len(window), "_links": self._links(req, following)})

    def v1_page(self, req: Request) -> Response:
        page = self.store.find(req.params["id"])
        if page is None:
            raise self.fail(404, f"No content found with id: ContentId{{id={req.params['id']}}}")
        out = self._v1(page, set(req.arg_list("expand")) | {"version"})
        out["_links"]["base"] = req.base_url
        return Response(200, out)

    def v1_update(self, req: Request) -> Response:
        page = self.store.find(req.params["id"])
        if page is None:
            raise self.fail(404, f"No content found with id: ContentId{{id={req.params['id']}}}")
        data = _body(req, self)
        if data.get("type") != "page":
            raise self.fail(400, "Content type must be set ('page')")
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            raise self.fail(400, "Title is required")
        body = data.get("body")
        storage = body.get("storage") if isinstance(body, dict) else None
        if not isinstance(storage, dict) or storage.get("representation") != "storage" or not isinstance(
                storage.get("value"), str):
            raise self.fail(400, "body.storage must hold a storage-format value")
        value = self._check_version_and_storage(page, data, storage["value"])
        self.store.edit(page.id, storage=value, title=title, author=self.store.api_user,
                        message=str(_version(data).get("message") or ""))
        return Response(200, self._v1(page, {"version", "space", "body.storage"}))

    def v1_user(self, req: Request) -> Response:
        key = req.arg("key") or req.arg("username") or ""
        person = self.store.person(key)
        if person is None:
            raise self.fail(404, f"No user found with key: {key}")
        return Response(200, {"type": "known", "username": person.username, "userKey": person.user_key,
                              "displayName": person.display_name})


def xhtml_problem(storage: str) -> str | None:
    """Why Confluence would refuse this storage text, or None (well-formed, entities known)."""
    from html.entities import html5

    names = set(re.findall(r"&([A-Za-z][A-Za-z0-9]*);", storage)) - {"amp", "lt", "gt", "quot", "apos"}
    dtd = "".join(f'<!ENTITY {n} "{"".join(f"&#{ord(c)};" for c in html5[n + ";"])}">'
                  for n in sorted(names) if n + ";" in html5)
    doctype = f"<!DOCTYPE r [{dtd}]>" if dtd else ""
    parser = expat.ParserCreate()
    try:
        parser.Parse(f"{doctype}<r>{storage}</r>".encode(), True)
    except expat.ExpatError as exc:
        return str(exc)
    return None


def _with_macro_id(found: re.Match[str]) -> str:
    return f'{found.group(0)} ac:macro-id="{uuid.uuid4()}"'


def _version(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("version")
    return version if isinstance(version, dict) else {}


def _body(req: Request, api: ConfluenceApi) -> dict[str, Any]:
    try:
        data = req.json()
    except ValueError:
        raise api.fail(400, "The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise api.fail(400, "The request body must be a JSON object")
    return data


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
