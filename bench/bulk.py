"""Fast bulk inserts for the large-district seed.

On PostgreSQL rows go in with COPY (text format) in chunks; elsewhere with bulk_create.
Neither fires model signals, so auditlog records nothing: this is generated data, not
anyone's action, and it would triple the time.

Generators name only the fields they care about; every other column gets its default
(or NULL, or "now" for auto_now fields), so a field added later by an app's owner does not
break the seed as long as it has a default or is nullable.
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

CHUNK = 50_000

_NOW = None
# Every model insert_rows() filled, for check_foreign_keys().
FILLED: set[type[models.Model]] = set()


def _now() -> datetime.datetime:
    global _NOW
    if _NOW is None:
        _NOW = timezone.now()
    return _NOW


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _fill_values(model: type[models.Model], given: Sequence[str]) -> list[tuple[models.Field, object]]:
    """Columns the generator did not name, with the value every row gets."""
    given_set = set(given)
    missing = []
    for field in model._meta.concrete_fields:
        if field.attname in given_set or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = _now()
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif field.blank and field.empty_strings_allowed:
            value = ""
        else:
            raise ValueError(f"{model._meta.label}.{field.name} needs a value in the bench generator")
        missing.append((field, value))
    return missing


def _escape(value) -> str:
    """One value in COPY's text format (the hot path: plain strings first)."""
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if value is None:
        return r"\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is float or kind is decimal.Decimal:
        return str(value)
    if kind is datetime.datetime or kind is datetime.date or kind is datetime.time:
        return value.isoformat()
    if kind is dict or kind is list:
        return _escape(json.dumps(value))
    return _escape(str(value))  # enum members and other str subclasses


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    chunk: int = CHUNK,
) -> int:
    """Insert `rows` (tuples in the order of `fields`, attnames such as "school_id"; include
    "id" to choose primary keys) and return how many went in."""
    FILLED.add(model)
    extra = _fill_values(model, fields)
    extra_fields = [f.attname for f, _ in extra]
    extra_values = tuple(v for _, v in extra)
    all_fields = [*fields, *extra_fields]
    count = 0
    if is_postgres():
        columns = ", ".join(
            connection.ops.quote_name(model._meta.get_field(name).column if name != "id" else "id")
            for name in all_fields
        )
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        extra_text = "".join("\t" + _escape(v) for v in extra_values)
        buffer = io.StringIO()
        pending = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg2 cursor, for copy_expert

            def flush():
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                buffer.seek(0)
                buffer.truncate()

            for row in rows:
                buffer.write("\t".join(map(_escape, row)))
                buffer.write(extra_text)
                buffer.write("\n")
                pending += 1
                if pending == chunk:
                    flush()
                    count += pending
                    pending = 0
            if pending:
                flush()
                count += pending
    else:
        batch = []
        for row in rows:
            batch.append(model(**dict(zip(all_fields, (*row, *extra_values), strict=True))))
            if len(batch) == 2000:
                count += len(model.objects.bulk_create(batch))
                batch = []
        if batch:
            count += len(model.objects.bulk_create(batch))
    if "id" in fields:
        reset_sequence(model)
    return count


def next_id(model: type[models.Model]) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequence(model: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def truncate(models_: Sequence[type[models.Model]]) -> None:
    """Empty these tables and every table that refers to them (PostgreSQL only)."""
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models_)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def defer_foreign_key_triggers() -> bool:
    """For the rest of the transaction, skip PostgreSQL's per-row foreign-key triggers (about
    half the load time); check_foreign_keys() then checks every reference in one query per
    foreign key before commit. Needs a superuser; returns False (and changes nothing) otherwise."""
    if not is_postgres():
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def check_foreign_keys() -> None:
    """Raise if any row inserted here points at a row that does not exist."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in sorted(FILLED, key=lambda m: m._meta.db_table):
            for field in model._meta.concrete_fields:
                if not field.is_relation or not field.db_constraint:
                    continue
                target = field.target_field
                cursor.execute(
                    f"SELECT count(*) FROM {quote(model._meta.db_table)} c "  # noqa: S608 - names from models
                    f"WHERE c.{quote(field.column)} IS NOT NULL AND NOT EXISTS ("
                    f"SELECT 1 FROM {quote(target.model._meta.db_table)} p "
                    f"WHERE p.{quote(target.column)} = c.{quote(field.column)})"
                )
                dangling = cursor.fetchone()[0]
                if dangling:
                    raise IntegrityError(
                        f"{dangling} rows of {model._meta.label}.{field.name} point at missing "
                        f"{target.model._meta.label} rows"
                    )
