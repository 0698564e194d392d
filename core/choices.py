"""Model choice fields for filter bars that read their options with one plain query.

Django's ModelChoiceIterator reads a choice list with QuerySet.iterator(), which on
PostgreSQL opens a server-side cursor: three round trips (DECLARE, FETCH, CLOSE) where one
SELECT does. The lists here are short (schools, agencies, officers, categories), so they are
read in one go."""

from __future__ import annotations

import django_filters
from django import forms
from django_filters import fields as filter_fields


class _OneQuery(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = _OneQuery


class _FilterOneQuery(filter_fields.ModelChoiceIterator, _OneQuery):
    """django-filter's iterator (which adds the "null" choice) over `_OneQuery`."""


class _FilterModelChoiceField(filter_fields.ModelChoiceField):
    iterator = _FilterOneQuery


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _FilterModelChoiceField
