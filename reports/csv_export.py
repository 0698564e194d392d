"""CSV for the dashboard's figures: one long table (tile, table, row, column, value) that a
spreadsheet can pivot, streamed row by row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from .filters import DashboardFilters
from .tiles import Tile

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_rows(rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def tile_rows(tiles: list[Tile], filters: DashboardFilters) -> Iterator[str]:
    def rows():
        yield ["Filters", filters.label, "", "", ""]
        yield ["Tile", "Table", "Row", "Column", "Value"]
        for tile in tiles:
            yield [tile.title, "Answer", "", "", tile.answer]
            for table in (tile.table, tile.detail):
                if not table:
                    continue
                for row in table.rows:
                    for column, value in zip(table.columns[1:], row[1:], strict=False):
                        yield [tile.title, table.caption, row[0], column, value]

    return stream_rows(rows())
