"""Query helpers shared by the lists and reports."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

Rows = TypeVar("Rows", bound=QuerySet[Any])


def at_schools(rows: Rows, schools: Iterable[Any] | None, *, through: str = "school") -> Rows:
    """`rows` at `schools` (a queryset or list of schools, reached from each row by `through`);
    None for every school adds no condition at all.

    The dashboards, reports and selectors say "every school" with None rather than a queryset
    of all schools: as a filter, all 60 schools are still a semi-join the database works
    through for each of a year's rows (README, "Every page")."""
    return rows if schools is None else rows.filter(**{f"{through}__in": schools})


def count_of(related: QuerySet, to: str) -> Coalesce:
    """How many rows of `related` point at each row of the outer query (through the foreign
    key `to`), as a correlated subquery.

    For counts on a paginated list: a join with GROUP BY makes the page's COUNT(*) and the
    page itself aggregate every matching row (two such counts on one query also multiply
    each other's rows), where the subquery runs for the rows shown only (README, Benchmark).
    Rows are counted with COUNT(*), not of their ids, so an index on the foreign key and the
    filtered columns answers it alone (incidents' people by role, for the SSEC summary)."""
    rows = related.filter(**{to: OuterRef("pk")}).order_by().values(to)
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)
