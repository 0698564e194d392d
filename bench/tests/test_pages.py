"""The benchmark's pages are the URLconf's GET pages (not timed: bench/run.py times them)."""

from bench import district
from bench.pages import ARGS, EXPORTS, FILTERED, NOT_MEASURED, USED_BY, USERNAMES, get_pages
from tests.authorization import OK, matrix, url_routes

ROUTES = {route.name: route for route in url_routes()}


def get_pages_of_the_urlconf() -> set[str]:
    """Every named URL some persona GETs with a 200, by the authorization matrix."""
    return {
        name
        for name, entry in matrix().items()
        if name in ROUTES and entry.method == "get" and OK in entry.expect.values()
    }


def test_bench_measures_every_get_page_of_the_urlconf_but_those_it_says_why_not():
    urlconf = get_pages_of_the_urlconf()
    assert set(get_pages()) == urlconf - set(NOT_MEASURED)
    assert set(NOT_MEASURED) <= urlconf, "NOT_MEASURED names a URL that is no GET page"


def test_only_secret_token_pages_uploaded_files_and_records_the_seed_lacks_are_left_out():
    for name, reason in NOT_MEASURED.items():
        route = ROUTES[name].route
        assert ("<str:token>" in route or "<token>" in route) == reason.startswith("secret token"), name
        assert reason.startswith(("secret token", "serves an uploaded file", "no such record")), name


def test_every_page_with_arguments_gets_them_from_the_large_district():
    pages = get_pages()
    needing = {name for name in pages if ROUTES[name].takes_arguments}
    assert needing == set(ARGS) & set(pages)
    assert set(ARGS) <= set(pages), "ARGS for a page the bench does not measure"


def test_each_page_is_measured_as_a_persona_the_matrix_lets_in():
    persona_in_matrix = {"coordinator": "coordinator", "admin": "admin_a", "officer": "officer_a"}
    table = matrix()
    for name, who in get_pages().items():
        if who == "anonymous":
            assert set(table[name].expect.values()) == {OK}, name
        else:
            assert table[name].expect[persona_in_matrix[who]] == OK, (name, who)
    assert get_pages()["officers:my_week"] == "officer"
    assert get_pages()["incidents:create"] == "admin"
    assert get_pages()["incidents:list"] == "coordinator"
    assert set(USED_BY) <= set(get_pages())


def test_filtered_lists_and_exports_are_pages_of_the_bench():
    assert set(FILTERED) | set(EXPORTS) <= set(get_pages())
    assert {"incidents:list", "officers:note_list", "core:audit_log", "training:record_list"} <= set(FILTERED)


def test_bench_signs_in_as_the_large_districts_users():
    assert USERNAMES == {
        "coordinator": district.COORDINATOR_USERNAME,
        "admin": district.ADMIN_USERNAME,
        "officer": district.OFFICER_USERNAME,
    }
