"""Model choice fields, for forms and filter bars, that read their options with one plain query.

Django's ModelChoiceIterator reads a choice list with QuerySet.iterator(), which on
PostgreSQL opens a server-side cursor: three round trips (DECLARE, FETCH, CLOSE) where one
SELECT does. The lists here are short (schools, agencies, officers, categories), so they are
read in one go. `ModelForm` gives a model form's own foreign keys and many-to-many fields
these fields; a field a form declares itself uses `ModelChoiceField` from here."""

from __future__ import annotations

import django_filters
from django import forms
from django.db import models
from django_filters import fields as filter_fields


class _OneQuery(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


def only_choice(queryset: models.QuerySet) -> int | None:
    """The primary key of the queryset's one row; None when it has none or several. For a
    form that chooses a user's one school for them: one query, not a count and then a read."""
    first_two = list(queryset.values_list("pk", flat=True)[:2])
    return first_two[0] if len(first_two) == 1 else None


class ModelChoiceField(forms.ModelChoiceField):
    iterator = _OneQuery


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = _OneQuery


def one_query_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A model form's field for `db_field`, choices of relations read with one query."""
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", ModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """A model form whose relations' choices are read with one query each."""

    def __init_subclass__(cls, **kwargs):
        # Runs before ModelFormMetaclass reads the subclass's Meta to build its fields.
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = staticmethod(one_query_formfield)


class _FilterOneQuery(filter_fields.ModelChoiceIterator, _OneQuery):
    """django-filter's iterator (which adds the "null" choice) over `_OneQuery`."""


class _FilterModelChoiceField(filter_fields.ModelChoiceField):
    iterator = _FilterOneQuery


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _FilterModelChoiceField
