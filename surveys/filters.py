import django_filters
from django.db.models import Q

from core.choices import ModelChoiceFilter
from schools.filters import district_filter, offer_districts

from .models import Survey, SurveyTemplate


class SurveyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    template = ModelChoiceFilter(queryset=SurveyTemplate.objects.all(), empty_label="All templates")
    district = district_filter(field_name="district")

    class Meta:
        model = Survey
        fields = ["q", "template", "district"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_districts(self, user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(schools__name__icontains=value)).distinct()
