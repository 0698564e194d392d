"""Query helpers shared by the lists and reports."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(related: QuerySet, to: str) -> Coalesce:
    """How many rows of `related` point at each row of the outer query (through the foreign
    key `to`), as a correlated subquery.

    For counts on a paginated list: a join with GROUP BY makes the page's COUNT(*) and the
    page itself aggregate every matching row (two such counts on one query also multiply
    each other's rows), where the subquery runs for the rows shown only (README, Benchmark)."""
    rows = related.filter(**{to: OuterRef("pk")}).order_by().values(to)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@contextmanager
def without_jit(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction in which PostgreSQL does not JIT-compile queries. A query planned at a
    cost over `jit_above_cost` (100,000) is compiled before it runs: for a year's report or an
    export, whose rows come from indexes and are counted or sent on, compiling took longer
    than the query itself (README, Every page)."""
    with transaction.atomic(using=using):
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield
