"""Choice lists of model forms and filter bars are read with one plain query (core.choices):
QuerySet.iterator() would open a server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE)."""

import pytest
from django.db.models.query import QuerySet
from django.urls import reverse

from core.choices import ModelChoiceField, ModelMultipleChoiceField, only_choice
from incidents.forms import IncidentForm, ThreatAssessmentForm
from officers.forms import OfficerForm
from schools.forms import AssignmentForm, SchoolForm
from training.forms import TrainingRecordForm


def test_model_forms_relations_get_the_one_query_fields():
    assert type(IncidentForm.base_fields["school"]) is ModelChoiceField
    assert type(IncidentForm.base_fields["category"]) is ModelChoiceField
    assert type(ThreatAssessmentForm.base_fields["school"]) is ModelChoiceField
    assert type(OfficerForm.base_fields["agency"]) is ModelChoiceField
    assert type(AssignmentForm.base_fields["officer"]) is ModelChoiceField
    assert type(TrainingRecordForm.base_fields["course"]) is ModelChoiceField
    assert type(SchoolForm.base_fields["administrators"]) is ModelMultipleChoiceField


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("admin_a_client", "incidents:create"),
        ("coordinator_client", "officers:create"),
        ("coordinator_client", "schools:create"),
        ("coordinator_client", "schools:assignment_create"),
        ("coordinator_client", "training:record_create"),
    ],
)
def test_form_pages_read_their_choices_without_a_server_side_cursor(
    request, persona, url_name, school_a, officer_a, monkeypatch
):
    client = request.getfixturevalue(persona)

    def no_iterator(self, *args, **kwargs):
        raise AssertionError(f"QuerySet.iterator() on {url_name}: {self.model.__name__}")

    monkeypatch.setattr(QuerySet, "iterator", no_iterator)
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "url_name", "chosen"),
    [
        ("admin_a_client", "incidents:create", True),
        ("admin_a_client", "incidents:threat_create", True),
        ("admin_a_client", "contacts:create", True),
        ("coordinator_client", "incidents:create", False),
        ("coordinator_client", "incidents:threat_create", False),
        ("coordinator_client", "contacts:create", False),
    ],
)
def test_a_users_one_school_is_chosen_in_forms_that_ask_for_a_school(
    request, persona, url_name, chosen, school_a, school_b
):
    form = request.getfixturevalue(persona).get(reverse(url_name)).context["form"]
    assert str(form["school"].value()) == (str(school_a.pk) if chosen else "None")


def test_only_choice_is_the_one_rows_key(school_a, school_b):
    from schools.models import School

    assert only_choice(School.objects.filter(pk=school_a.pk)) == school_a.pk
    assert only_choice(School.objects.all()) is None
    assert only_choice(School.objects.none()) is None
