import django_filters
from django import forms

from core.choices import ModelChoiceFilter
from officers.models import Officer

from .models import Assignment, AssignmentKind, District, Level, School


def district_filter(field_name: str = "school__district", label: str = "District", **options):
    """The district filter of a list: choices are set per user by `offer_districts`."""
    return django_filters.ChoiceFilter(
        label=label, empty_label="All districts", choices=[], field_name=field_name, **options
    )


def district_choices(user) -> list[tuple[int, str]]:
    """Districts a program coordinator may pick from; empty for anyone whose scope is already
    one district (or who works across districts only through their schools)."""
    if user is None or not user.is_program_coordinator:
        return []
    choices = list(District.objects.values_list("pk", "name"))
    return choices if len(choices) > 1 else []


def chosen_district(request) -> District | None:
    """The district a program coordinator picked with `?district=` (None: every district;
    anyone else's scope already decides)."""
    if not hasattr(request, "_chosen_district"):  # read once per request
        pk = request.GET.get("district", "")
        ok = pk.isdigit() and request.user.is_program_coordinator
        request._chosen_district = District.objects.filter(pk=pk).first() if ok else None
    return request._chosen_district


def offer_districts(filterset, user, name: str = "district") -> None:
    """Program coordinators choose a district (when there are several); for everyone else the
    filter is dropped, as their scope already decides."""
    choices = district_choices(user)
    if choices:
        filterset.filters[name].extra["choices"] = choices
    else:
        del filterset.filters[name]


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    district = district_filter(field_name="district")
    level = django_filters.ChoiceFilter(choices=Level.choices, empty_label="All levels")
    is_active = django_filters.BooleanFilter(
        label="In the program",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )

    class Meta:
        model = School
        fields = ["q", "district", "level", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_districts(self, user)

    def search(self, queryset, name, value):
        return queryset.search(value)


class AssignmentFilter(django_filters.FilterSet):
    district = district_filter()
    officer = ModelChoiceFilter(queryset=Officer.objects.all(), empty_label="All officers")
    school = ModelChoiceFilter(queryset=School.objects.all(), empty_label="All schools")
    kind = django_filters.ChoiceFilter(label="Type", choices=AssignmentKind.choices, empty_label="Any type")
    on = django_filters.DateFilter(
        label="Active on", method="active_on", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Assignment
        fields = ["district", "officer", "school", "kind", "on"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["officer"].queryset = Officer.objects.visible_to(user).for_choices()
        self.filters["school"].queryset = School.objects.visible_to(user).for_choices()
        offer_districts(self, user)

    def active_on(self, queryset, name, value):
        return queryset.active_on(value)
