"""The dashboard's filters: a school year (July to June) or a date range, a district (program
coordinators), a school, an agency.

A bad filter never breaks the page: the form shows its errors and the dashboard falls back to
the defaults (this school year, every school in the user's scope)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.choices import ModelChoiceField
from core.templatetags.dates import day as day_label
from officers.models import Agency
from schools.filters import district_choices
from schools.models import Assignment, District, School

# A date range longer than this is a typo, not a question anyone asks of the dashboard.
MAX_RANGE_DAYS = 5 * 366
YEARS_OFFERED = 5


def school_year_start(day: datetime.date) -> int:
    """The calendar year a school year (July to June) containing `day` starts in."""
    return day.year if day.month >= 7 else day.year - 1


def school_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 7, 1), datetime.date(start_year + 1, 6, 30)


def school_year_label(start_year: int) -> str:
    return f"{start_year}–{(start_year + 1) % 100:02d}"


def year_choices(today: datetime.date) -> list[tuple[str, str]]:
    current = school_year_start(today)
    return [(str(y), school_year_label(y)) for y in range(current, current - YEARS_OFFERED, -1)]


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard is looking at. `schools` is lazy (a subquery), so passing it to the
    selectors costs no query of its own."""

    start: datetime.date
    end: datetime.date
    today: datetime.date
    schools: QuerySet = field(repr=False)
    school: School | None = None
    agency: Agency | None = None
    school_year: int | None = None
    # The district looked at: a district coordinator's own, or the one a program coordinator
    # chose (None: every district, the program's totals).
    district: District | None = None
    # The program coordinator looking at every school: officers with no school (sergeants)
    # count too.
    whole_district: bool = False
    # Some lists behind the tiles (coverage, the training matrix) are for coordinators only.
    coordinator: bool = False
    # Whose schools these are, for the cache: the program's, a district's, or one administrator's.
    scope: str = "program"
    # What several tiles read once while one page is built (`shared`), e.g. the period's
    # incident counts behind three tiles. Not part of the filters: not compared, not cached.
    reads: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def shared(self, name: str, read: Callable[[], Any]) -> Any:
        """`read()`, worked out once for these filters however many tiles ask for it."""
        if name not in self.reads:
            self.reads[name] = read()
        return self.reads[name]

    def school_list(self) -> list[School]:
        """The schools in view (by name), read once for the tiles that go through every school
        (coverage, drills, incidents by school)."""
        return self.shared("schools", lambda: list(self.schools))

    @property
    def school_scope(self) -> QuerySet | None:
        """`schools` for the selectors that take None for every school: None when the filters
        leave every school in (the program's totals, no agency), sparing the database a
        semi-join on the schools."""
        return None if self.whole_district and self.agency is None else self.schools

    @property
    def cache_key(self) -> str:
        parts = [self.scope, self.start, self.end, self.today, self.school_year]
        parts += [self.school.pk if self.school else "", self.agency.pk if self.agency else ""]
        parts += [self.district.pk if self.district else ""]
        return "reports:tiles:v2:" + ":".join(str(p) for p in parts)

    @property
    def label(self) -> str:
        if self.school_year is not None:
            period = f"school year {school_year_label(self.school_year)}"
        else:
            period = f"{day_label(self.start)} to {day_label(self.end)}"
        parts = [period]
        if self.district:
            parts.append(self.district.name)
        if self.school:
            parts.append(self.school.name)
        if self.agency:
            parts.append(self.agency.name)
        return " · ".join(parts)

    def params(self) -> dict[str, str]:
        """The filters as query parameters, for links to the lists behind each tile. Every
        app's list filter uses the same names for dates, school and agency where it has them."""
        out = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.district and self.scope == "program":
            out["district"] = str(self.district.pk)
        if self.school:
            out["school"] = str(self.school.pk)
        if self.agency:
            out["agency"] = str(self.agency.pk)
        return out


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="School year", coerce=int, required=False, empty_value=None)
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    district = forms.TypedChoiceField(label="District", coerce=int, required=False, empty_value=None)
    school = ModelChoiceField(queryset=School.objects.none(), required=False, empty_label="All schools")
    agency = ModelChoiceField(queryset=Agency.objects.all(), required=False, empty_label="All agencies")

    def __init__(self, *args, user, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        cast(forms.ChoiceField, self.fields["year"]).choices = year_choices(today)
        school = cast(forms.ModelChoiceField, self.fields["school"])
        school.queryset = user.schools_in_scope().order_by("name")
        if user.is_district_coordinator:
            cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.visible_to(user)
        districts = district_choices(user)
        if districts:
            cast(forms.ChoiceField, self.fields["district"]).choices = [("", "All districts"), *districts]
        else:
            del self.fields["district"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors.get("start") and not self.errors.get("end"):
            missing = "end" if end is None else "start"
            self.add_error(missing, "Give both dates of the range, or neither to use the school year.")
        elif start and end:
            if end < start:
                self.add_error("end", "The end date is before the start date.")
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error("end", "Choose a range of five years or less.")
        return data

    def filters(self) -> DashboardFilters:
        """The filters to apply: the valid input, or the defaults if the input is invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = data.get("start"), data.get("end")
        year = None
        if not (start and end):
            year = data.get("year") or school_year_start(self.today)
            start, end = school_year_bounds(year)
        return build_filters(
            user=self.user,
            start=start,
            end=end,
            today=self.today,
            school=data.get("school"),
            agency=data.get("agency"),
            school_year=year,
            district=District.objects.filter(pk=data["district"]).first() if data.get("district") else None,
        )


def build_filters(
    *,
    user,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
    school: School | None = None,
    agency: Agency | None = None,
    school_year: int | None = None,
    district: District | None = None,
) -> DashboardFilters:
    """Filters for `user`: the schools are always cut down to the user's scope (a district
    coordinator's district; a program coordinator's chosen district, if any); an agency keeps
    the schools one of its officers was assigned to at some point in the period."""
    if user.is_program_coordinator:
        # Every school: no subquery needed.
        schools = School.objects.all() if district is None else School.objects.filter(district=district)
        scope = "program"
    elif user.is_district_coordinator:
        district = user.district
        schools = School.objects.filter(district_id=user.district_id)
        scope = f"district-{user.district_id}"
    else:
        district = None
        schools = School.objects.filter(pk__in=user.schools_in_scope().values("pk"))
        scope = f"user-{user.pk}"
    if school is not None:
        schools = schools.filter(pk=school.pk)
    if agency is not None:
        served = Assignment.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start),
            officer__agency=agency,
            start_date__lte=end,
        ).values("school_id")
        schools = schools.filter(pk__in=served)
    return DashboardFilters(
        start=start,
        end=end,
        today=today or timezone.localdate(),
        schools=schools,
        school=school,
        agency=agency,
        school_year=school_year,
        district=district,
        whole_district=user.is_program_coordinator and school is None and district is None,
        coordinator=user.is_coordinator,
        scope=scope,
    )
