import django_filters
from django import forms
from django.db.models import Q

from core.choices import ModelChoiceFilter
from schools.filters import district_filter, offer_districts

from .models import ActivityNote, Agency, AgencyKind, DutyCategory, Officer, OfficerStatus

DATE = forms.DateInput(attrs={"type": "date"})


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    kind = django_filters.ChoiceFilter(label="Type", choices=AgencyKind.choices, empty_label="All types")
    district = district_filter(field_name="agreements__district", label="Serves")

    class Meta:
        model = Agency
        fields = ["q", "kind", "district"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_districts(self, user)

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(contact_name__icontains=value)


class OfficerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search name or badge", method="search")
    agency = ModelChoiceFilter(queryset=Agency.objects.all(), empty_label="All agencies")
    status = django_filters.ChoiceFilter(choices=OfficerStatus.choices, empty_label="Any status")
    district = district_filter(method="serving_district", label="Serves")

    class Meta:
        model = Officer
        fields = ["q", "agency", "status", "district"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = Agency.objects.visible_to(user)
        offer_districts(self, user)

    def serving_district(self, queryset, name, value):
        return queryset.serving(value)

    def search(self, queryset, name, value):
        return queryset.search(value)


def _schools(request):
    # Through the user and the note's foreign key: schools depends on officers (Assignment),
    # so officers never imports schools.
    if request is None:
        return ActivityNote._meta.get_field("school").related_model._default_manager.none()
    return request.user.schools_in_scope().for_choices()


def _officers(request):
    """Officers whose notes the user may see, without scanning the notes table (it gets large)."""
    if request is None:
        return Officer.objects.none()
    user = request.user
    if user.is_coordinator:
        return Officer.objects.visible_to(user).for_choices()
    if user.is_school_admin:
        return Officer.objects.filter(assignments__school__administrators=user).distinct().for_choices()
    me = user.officer_record
    if me is None:
        return Officer.objects.none()
    return Officer.objects.filter(Q(pk=me.pk) | Q(supervisor=me)).for_choices()


class ActivityNoteFilter(django_filters.FilterSet):
    district = district_filter()
    school = ModelChoiceFilter(queryset=_schools, empty_label="All schools")
    officer = ModelChoiceFilter(queryset=_officers, empty_label="All officers")
    category = django_filters.ChoiceFilter(
        label="Duty category", choices=DutyCategory.choices, empty_label="All categories"
    )
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From", widget=DATE)
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To", widget=DATE)
    follow_up = django_filters.ChoiceFilter(
        label="Follow-up",
        choices=[("open", "Open follow-ups"), ("any", "Any follow-up")],
        empty_label="All notes",
        method="filter_follow_up",
    )

    class Meta:
        model = ActivityNote
        fields = ["district", "school", "officer", "category", "start", "end", "follow_up"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_districts(self, self.request.user if self.request else None)

    def filter_follow_up(self, queryset, name, value):
        if value == "open":
            return queryset.follow_ups_due()
        return queryset.filter(follow_up=True)
