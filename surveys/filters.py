import django_filters
from django.db.models import Q

from core.choices import ModelChoiceFilter

from .models import Survey, SurveyTemplate


class SurveyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    template = ModelChoiceFilter(queryset=SurveyTemplate.objects.all())

    class Meta:
        model = Survey
        fields = ["q", "template"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(schools__name__icontains=value)).distinct()
