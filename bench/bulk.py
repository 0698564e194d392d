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
from django.db import connection, models
from django.utils import timezone

CHUNK = 50_000

_NOW = None


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
        elif field.blank and isinstance(field, models.CharField | models.TextField):
            value = ""
        else:
            raise ValueError(f"{model._meta.label}.{field.name} needs a value in the bench generator")
        missing.append((field, value))
    return missing


def _escape(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    text = str(value)
    if any(ch in text for ch in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    chunk: int = CHUNK,
) -> int:
    """Insert `rows` (tuples in the order of `fields`, attnames such as "school_id"; include
    "id" to choose primary keys) and return how many went in."""
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
