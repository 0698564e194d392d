import django_filters
from django.db.models import Q

from core.choices import ModelChoiceFilter
from officers.models import Officer

from .models import Course, RecordStatus, TrainingRecord


class RecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    officer = ModelChoiceFilter(queryset=Officer.objects.all(), empty_label="All officers")
    course = ModelChoiceFilter(queryset=Course.objects.all(), empty_label="All courses")
    status = django_filters.ChoiceFilter(choices=RecordStatus.choices, empty_label="Any status")
    year = django_filters.NumberFilter(field_name="completed_on", lookup_expr="year", label="Year completed")

    class Meta:
        model = TrainingRecord
        fields = ["q", "officer", "course", "status", "year"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_coordinator:
            del self.filters["officer"]
        else:
            self.filters["officer"].queryset = Officer.objects.visible_to(user).for_choices()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(course__name__icontains=value)
            | Q(provider__icontains=value)
            | Q(officer__first_name__icontains=value)
            | Q(officer__last_name__icontains=value)
            | Q(officer__badge_number__iexact=value)
        )
