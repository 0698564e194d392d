"""Every URL of the app, for every persona: the expected 200 / 302-to-sign-in / 403 / 404.

The table lives in tests/authorization/ (one module per app). A URL without an entry fails
here with "add an entry for <name>"."""

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from tests.authorization import LOGIN, PERSONAS, REDIRECT, World, client_for, matrix, url_routes

MATRIX = matrix()
ROUTES = url_routes()
NAMES = sorted({route.name for route in ROUTES if route.name} | set(MATRIX))


def outcome(response) -> int | str:
    if response.status_code == 302:
        login_url = reverse(settings.LOGIN_URL)
        return LOGIN if response.url.split("?")[0] == login_url else REDIRECT
    return response.status_code


def test_every_url_has_a_name():
    unnamed = [route.route for route in ROUTES if not route.name]
    assert unnamed == [], "give these URL patterns a name and a matrix entry"


def test_every_entry_is_a_url_that_exists():
    names = {route.name for route in ROUTES}
    stale = sorted(set(MATRIX) - names)
    assert stale == [], f"remove the matrix entries for URLs that no longer exist: {stale}"


def request_for(world: World, name: str):
    """Builds the URL's objects (before any request, outside the per-persona rollback) and
    returns a function that makes the request as a persona."""
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world) if entry.kwargs else None)
    data = entry.data(world) if entry.data else {}

    def request_as(persona: str):
        client = client_for(world, persona)
        return client.post(url, data) if entry.method == "post" else client.get(url)

    return request_as


@pytest.mark.parametrize("name", NAMES)
def test_authorization_matrix(name, world):
    assert name in MATRIX, f"add an entry for {name} to tests/authorization/<app>.py"
    entry = MATRIX[name]
    routes = [route for route in ROUTES if route.name == name]
    if any(route.takes_arguments for route in routes):
        assert entry.kwargs, f"{name} takes arguments: give its entry a kwargs builder"
    request_as = request_for(world, name)
    got = {}
    for persona in PERSONAS:
        # Each persona sees the same world: whatever a request changes is rolled back.
        with transaction.atomic():
            got[persona] = outcome(request_as(persona))
            transaction.set_rollback(True)
    assert got == entry.expect, f"{name}: expected {entry.expect}, got {got}"
