"""core.csv_export: every list's download, streamed, and safe to open in a spreadsheet."""

import csv
import io

from core.csv_export import csv_response, safe_cell, stream_rows


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_quoted_as_text():
    for formula in ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]:
        assert safe_cell(formula) == "'" + formula


def test_numbers_dates_and_empty_cells_are_written_as_they_are():
    assert safe_cell(-12.5) == "-12.5"
    assert safe_cell("-3") == "-3"
    assert safe_cell(None) == ""
    assert safe_cell("Alpha High School") == "Alpha High School"


def test_rows_are_streamed_one_line_at_a_time_with_csv_quoting():
    lines = list(stream_rows([["School", "Note"], ["Alpha", 'said "hi", then left']]))
    assert lines == ["School,Note\r\n", 'Alpha,"said ""hi"", then left"\r\n']


def test_the_response_is_a_named_streamed_download():
    response = csv_response(iter([["a", "=1"], [2, None]]), "incidents-2026.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="incidents-2026.csv"'
    body = b"".join(response.streaming_content).decode()
    assert list(csv.reader(io.StringIO(body))) == [["a", "'=1"], ["2", ""]]


def test_an_export_reads_its_rows_inside_a_transaction(coordinator):
    # Outside one, PostgreSQL materialises a WITH HOLD cursor's whole result before the first row.
    from django.db import connection, transaction

    from core.csv_export import streamed
    from core.models import Notification

    Notification.objects.bulk_create(Notification(user=coordinator, title=f"N{i}") for i in range(30))
    seen = []
    with transaction.atomic():  # the test's own; streamed() must open its own block inside
        depth = len(connection.savepoint_ids)
        for n in streamed(Notification.objects.order_by("pk"), chunk_size=7):
            seen.append((n.title, len(connection.savepoint_ids) > depth))
    assert len(seen) == 30 and all(inside for _, inside in seen)


def test_choice_labels_are_what_get_display_returns():
    from core.csv_export import ChoiceLabels
    from incidents.models import Incident
    from officers.models import ActivityNote

    names = ("location", "severity", "level", "table_level", "status", "weapon_type", "injuries")
    display = ChoiceLabels(Incident, *names)
    for name in names:
        field = Incident._meta.get_field(name)
        # Every choice, a value outside them (kept as it is) and an empty one.
        for value in [value for value, _ in field.flatchoices] + ["not-a-choice", 99, None, ""]:
            incident = Incident(**{name: value})
            assert display(incident, name) == getattr(incident, f"get_{name}_display")()
    note = ActivityNote(category=ActivityNote._meta.get_field("category").flatchoices[0][0])
    assert ChoiceLabels(ActivityNote, "category")(note, "category") == note.get_category_display()
