import django_filters
from django.db.models import Q
from django.utils import timezone

from core.choices import ModelChoiceFilter
from schools.filters import district_filter, offer_districts
from schools.models import School

from .models import Drill, DrillType


class DrillFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search notes")
    district = district_filter()
    school = ModelChoiceFilter(queryset=School.objects.none(), empty_label="All schools")
    drill_type = django_filters.ChoiceFilter(choices=DrillType.choices, label="Type", empty_label="All types")
    state = django_filters.ChoiceFilter(
        method="by_state",
        label="Status",
        empty_label="Any status",
        choices=[("conducted", "Conducted"), ("scheduled", "Scheduled"), ("overdue", "Overdue: not logged")],
    )

    class Meta:
        model = Drill
        fields = ["q", "district", "school", "drill_type", "state"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        schools = user.schools_in_scope() if user else School.objects.none()
        self.filters["school"].queryset = schools.for_choices()
        offer_districts(self, user)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(observations__icontains=value)
            | Q(after_action_notes__icontains=value)
            | Q(school__name__icontains=value)
        )

    def by_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "conducted":
            return queryset.conducted()
        if value == "overdue":
            return queryset.scheduled().filter(scheduled_at__date__lt=today)
        return queryset.scheduled().filter(scheduled_at__date__gte=today)
