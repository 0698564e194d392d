"""The monthly program report: the month's figures and charts on one printable page, for the
superintendent and the police chief. It is the dashboard's tiles for one calendar month."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone

from .filters import DashboardFilters, build_filters
from .selectors import dashboard_tiles
from .tiles import Tile


def previous_month(today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


class MonthForm(forms.Form):
    month = forms.DateField(
        label="Month",
        input_formats=["%Y-%m"],
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "Enter a month as YYYY-MM, for example 2026-10."},
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["month"].initial = previous_month(today)

    def clean_month(self):
        month = self.cleaned_data.get("month")
        if month and month > self.today:
            raise forms.ValidationError("That month has not started yet.")
        return month

    def selected_month(self) -> datetime.date:
        """The first day of the month asked for; last month if none (or a bad one) was given."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("month"):
            return self.cleaned_data["month"].replace(day=1)
        return previous_month(self.today)


@dataclass
class MonthlyReport:
    month: datetime.date
    filters: DashboardFilters
    tiles: list[Tile]
    generated_on: datetime.date

    @property
    def title(self) -> str:
        where = f"{self.filters.district.name}, " if self.filters.district else ""
        return f"SRO program report, {where}{self.month:%B %Y}"


def monthly_report(
    *, user, month: datetime.date, today: datetime.date | None = None, district=None
) -> MonthlyReport:
    """The month's report for the user's scope (a program coordinator may name a district)."""
    today = today or timezone.localdate()
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    # Coverage is reported as of the month's last day (or today, for the current month).
    filters = build_filters(user=user, start=month, end=last, today=min(last, today), district=district)
    return MonthlyReport(month=month, filters=filters, tiles=dashboard_tiles(filters), generated_on=today)
