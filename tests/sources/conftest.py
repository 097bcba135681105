"""Confluence fixtures: sandboxes serving Confluence Cloud or Data Center."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from actiontrack.sandbox import Sandbox


@pytest.fixture
def cloud(sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return sandbox_factory(confluence_deployment="Cloud")


@pytest.fixture(params=["Cloud", "Server"])
def site(request: pytest.FixtureRequest, sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    """Each test once against Confluence Cloud and once against Data Center."""
    return sandbox_factory(confluence_deployment=request.param)


@pytest.fixture
def datacenter(sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return sandbox_factory(confluence_deployment="Server")
