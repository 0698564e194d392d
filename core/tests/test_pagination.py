"""Long lists are counted only so far ahead of the page shown (core.pagination)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Notification
from core.pagination import CappedPaginator, capped_page


@pytest.fixture
def notifications(coordinator):
    Notification.objects.bulk_create(
        Notification(user=coordinator, title=f"Note {i}", body="", url="/") for i in range(30)
    )
    return Notification.objects.filter(user=coordinator).order_by("pk")


def test_a_short_list_is_counted_exactly(notifications):
    page = capped_page(notifications, 5, "2", counted=notifications.order_by())
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (2, 30, 6)
    assert not page.paginator.capped


def test_a_long_list_is_counted_only_so_far_and_says_so(notifications):
    paginator = CappedPaginator(notifications, 5, page="1", ahead=10)
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.count == 15  # one page of 5 and 10 rows ahead
    assert paginator.capped
    assert "LIMIT 16" in ctx.captured_queries[0]["sql"]
    assert paginator.get_page(1).has_next()


def test_any_page_stays_reachable_past_the_count(notifications):
    page = CappedPaginator(notifications, 5, page="5", ahead=4).get_page("5")
    assert page.number == 5
    assert [n.title for n in page.object_list] == [f"Note {i}" for i in range(20, 25)]
    assert page.has_next()
    last = CappedPaginator(notifications, 5, page="6", ahead=4).get_page("6")
    assert last.number == 6 and not last.has_next() and not last.paginator.capped


def test_a_page_past_the_end_or_not_a_number_is_the_last_or_the_first(notifications):
    assert capped_page(notifications, 5, "99").number == 6
    assert capped_page(notifications, 5, "x").number == 1
