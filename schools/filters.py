import django_filters
from django import forms

from core.choices import ModelChoiceFilter
from officers.models import Officer

from .models import Assignment, AssignmentKind, Level, School


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    level = django_filters.ChoiceFilter(choices=Level.choices, empty_label="All levels")
    is_active = django_filters.BooleanFilter(
        label="In the program",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )

    class Meta:
        model = School
        fields = ["q", "level", "is_active"]

    def search(self, queryset, name, value):
        return queryset.search(value)


class AssignmentFilter(django_filters.FilterSet):
    officer = ModelChoiceFilter(queryset=Officer.objects.all(), empty_label="All officers")
    school = ModelChoiceFilter(queryset=School.objects.all(), empty_label="All schools")
    kind = django_filters.ChoiceFilter(label="Type", choices=AssignmentKind.choices, empty_label="Any type")
    on = django_filters.DateFilter(
        label="Active on", method="active_on", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Assignment
        fields = ["officer", "school", "kind", "on"]

    def active_on(self, queryset, name, value):
        return queryset.active_on(value)
