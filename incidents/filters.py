import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from schools.filters import district_filter, offer_districts
from schools.models import School
from students.models import Student

from .models import Incident, IncidentCategory, IncidentPerson, InterventionLevel, Status


class IncidentFilter(django_filters.FilterSet):
    # A search is a GET (the list's address can be shared and bookmarked), so it asks for no
    # student's name: names never go into a URL.
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        help_text=(
            "Words of the description, or a student's local ID. Not a name: a search is kept in "
            "the page's address."
        ),
    )
    district = district_filter()
    # Plain choices of (id, name), read with one query each (no model instances, and the
    # chosen value is checked against the same list rather than with a second query).
    school = django_filters.ChoiceFilter(label="School", empty_label="All schools", choices=[])
    category = django_filters.ChoiceFilter(label="Category", empty_label="All categories", choices=[])
    level = django_filters.ChoiceFilter(
        choices=InterventionLevel.choices, empty_label="All levels", label="Intervention level"
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="All statuses")
    # Local calendar days, compared as moments (from midnight of the first day to midnight
    # after the last), so the database uses the index on occurred_at; `occurred_at__date`
    # converts every row's time zone first.
    date_from = django_filters.DateFilter(
        label="From", method="from_day", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label="To", method="to_day", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Incident
        fields = ["q", "district", "school", "category", "level", "status", "date_from", "date_to"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.filter(pk__in=user.schools_in_scope().values("pk"))
        self.filters["school"].extra["choices"] = list(schools.values_list("pk", "name"))
        self.filters["category"].extra["choices"] = list(IncidentCategory.objects.values_list("pk", "name"))
        offer_districts(self, user)
        if user.is_officer:
            self.filters["level"].extra["choices"] = [c for c in InterventionLevel.choices if c[0] >= 1]

    def from_day(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=_midnight(value))

    def to_day(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=_midnight(value + datetime.timedelta(days=1)))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # A student picked from the records keeps no typed ID (local_id_or_initials is empty):
        # they are found by their record's local ID.
        students = Student.objects.filter(local_id__iexact=value).values("pk")
        person = IncidentPerson.objects.filter(
            Q(local_id_or_initials__iexact=value) | Q(student__in=students), incident=OuterRef("pk")
        )
        return queryset.filter(Q(description__icontains=value) | Exists(person))


def _midnight(day: datetime.date) -> datetime.datetime:
    """The start of a local calendar day, as an aware moment."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
