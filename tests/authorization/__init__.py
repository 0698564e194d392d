"""The authorization matrix: for every URL in the URLconf, what each persona gets.

Personas (root conftest): the program coordinator (every district), the coordinators of
district A and of district B, the administrator of school A (district A), the administrator
of school B (district B), the officer assigned to school A, an officer assigned elsewhere
(school B), and an anonymous visitor. The agency serves both districts (an agreement each).
Outcomes: 200, 302 to the sign-in page (LOGIN), another 302
(REDIRECT), 403 (wrong role), 404 (object outside the persona's scope), 405.

Adding a URL? Add an entry to the module of its app here (`tests/authorization/<app>.py`,
ENTRIES = {"<namespace>:<name>": Access(...)}). When the URL takes arguments, `kwargs`
builds them from the World: create the object at school A (so admin_a and officer_a are
in scope, admin_b and officer_b are not). tests/test_authorization_matrix.py fails for any
URL without an entry ("add an entry for <name>").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

PERSONAS = (
    "coordinator",
    "coordinator_a",
    "coordinator_b",
    "admin_a",
    "admin_b",
    "officer_a",
    "officer_b",
    "anonymous",
)

OK = 200
REDIRECT = 302  # a redirect somewhere other than the sign-in page
REFUSED = 400  # let in, but the form was refused: the page again with its errors
LOGIN = "302 to login"
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405

# Third-party URL sets left out of the matrix, and why. Everything else is ours.
SKIPPED_NAMESPACES = {
    # Django's admin: staff only, behind two-factor authentication (accounts.admin_site);
    # tested in accounts/tests/test_two_factor.py and core/tests/test_audit.py.
    "admin",
}


@dataclass
class World:
    """The personas and their schools; builders add what a URL needs (cached in `objects`)."""

    coordinator: Any
    coordinator_a: Any
    coordinator_b: Any
    admin_a: Any
    admin_b: Any
    officer_a: Any
    officer_b: Any
    school_a: Any
    school_b: Any
    agency: Any
    objects: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.objects:
            self.objects[key] = build()
        return self.objects[key]


def client_for(world: World, persona: str):
    from django.test import Client

    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


@dataclass(frozen=True)
class Access:
    expect: dict[str, int | str]
    kwargs: Callable[[World], dict] | None = None
    method: str = "get"
    data: Callable[[World], dict] | None = None
    note: str = ""

    def __post_init__(self):
        assert set(self.expect) == set(PERSONAS), f"expectations for exactly {PERSONAS}"


def access(
    *,
    coordinator,
    coordinator_a,
    coordinator_b,
    admin_a,
    admin_b,
    officer_a,
    officer_b,
    anonymous=LOGIN,
    **options,
) -> Access:
    expect = {
        "coordinator": coordinator,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "admin_a": admin_a,
        "admin_b": admin_b,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "anonymous": anonymous,
    }
    return Access(expect=expect, **options)


def signed_in(status=OK, **options) -> Access:
    """Every signed-in user; anonymous visitors are sent to sign in."""
    return access(
        coordinator=status,
        coordinator_a=status,
        coordinator_b=status,
        admin_a=status,
        admin_b=status,
        officer_a=status,
        officer_b=status,
        **options,
    )


# What the coordinators of districts A and B get, by where the object is.
DISTRICTS = {
    # Anything in any district, or a list each sees their own part of.
    "both": lambda status: (status, status),
    # An object of district A: district B's coordinator does not find it.
    "a": lambda status: (status, NOT_FOUND),
    # Program-wide settings and pages: the program coordinator's only.
    "program": lambda status: (FORBIDDEN, FORBIDDEN),
}


def coordinator_only(status=OK, *, districts: str, **options) -> Access:
    """Coordinators only; `districts` says what district coordinators get (see DISTRICTS)."""
    coordinator_a, coordinator_b = DISTRICTS[districts](status)
    return access(
        coordinator=status,
        coordinator_a=coordinator_a,
        coordinator_b=coordinator_b,
        admin_a=FORBIDDEN,
        admin_b=FORBIDDEN,
        officer_a=FORBIDDEN,
        officer_b=FORBIDDEN,
        **options,
    )


# Changing something at school A (logging its drills, correcting its incidents, adding their
# people): its administrator and the coordinators over it; another district's people see no such
# object (404); officers are refused (403). Spread into access(), e.g. access(**MANAGED_AT_A, ...).
MANAGED_AT_A = {
    "coordinator": OK,
    "coordinator_a": OK,
    "coordinator_b": NOT_FOUND,
    "admin_a": OK,
    "admin_b": NOT_FOUND,
    "officer_a": FORBIDDEN,
    "officer_b": FORBIDDEN,
}


def school_a_scoped(status=OK, **options) -> Access:
    """An object at school A: the program coordinator, district A's coordinator, school A's
    administrator and officer."""
    return access(
        coordinator=status,
        coordinator_a=status,
        coordinator_b=NOT_FOUND,
        admin_a=status,
        admin_b=NOT_FOUND,
        officer_a=status,
        officer_b=NOT_FOUND,
        **options,
    )


def public(status=OK, **options) -> Access:
    """Documented public page (sign-in, password reset, token links): same for everyone."""
    return access(
        coordinator=status,
        coordinator_a=status,
        coordinator_b=status,
        admin_a=status,
        admin_b=status,
        officer_a=status,
        officer_b=status,
        anonymous=status,
        **options,
    )


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    pattern: URLPattern

    @property
    def takes_arguments(self) -> bool:
        return bool(self.pattern.pattern.regex.groupindex) or self.pattern.pattern.regex.groups > 0


def url_routes() -> list[Route]:
    """Every URL pattern of the URLconf, through includes, with its namespaced name
    (None when unnamed), except the skipped third-party namespaces."""
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                ns = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            else:
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                routes.append(Route(name=name, route=prefix + str(entry.pattern), pattern=entry))

    walk(get_resolver().url_patterns, "", "")
    return routes


def matrix() -> dict[str, Access]:
    from . import accounts, contacts, core, drills_surveys, incidents, reports, roster, students, training

    combined: dict[str, Access] = {}
    for module in [accounts, core, roster, incidents, students, training, drills_surveys, reports, contacts]:
        overlap = set(combined) & set(module.ENTRIES)
        assert not overlap, f"entries listed twice: {overlap}"
        combined.update(module.ENTRIES)
    return combined
