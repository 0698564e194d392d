"""CSV for the dashboard's figures: one long table (tile, table, row, column, value) that a
spreadsheet can pivot, streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator

from core.csv_export import stream_rows

from .filters import DashboardFilters
from .tiles import Tile


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
