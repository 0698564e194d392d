"""Every form page with errors opens with one summary (templates/base.html,
core/templatetags/form_errors.py): each error a link to its field, errors of the whole form
too, "Error:" first in the page title, and what was typed still in the form."""

import re

import pytest
from django import forms
from django.template import Context
from django.urls import reverse

from core.templatetags.form_errors import ErrorItem, error_items

TYPED = "Typed <before> the error"


class Visit(forms.Form):
    school = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "Patrol"), ("b", "Mentoring")], widget=forms.RadioSelect)
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("The visit ends before it starts.")


class Person(forms.Form):
    grade = forms.IntegerField(label="Grade")


class People(forms.BaseFormSet):
    item_name = "Person"


def test_each_error_links_to_its_field_and_errors_of_the_whole_form_come_first():
    items = error_items(Context({"form": Visit({"school": "", "kind": "z"})}))
    assert items == [
        ErrorItem("The visit ends before it starts."),
        ErrorItem("School: This field is required.", "#id_school"),
        ErrorItem("Kind: Select a valid choice. z is not one of the available choices.", "#id_kind_0"),
        ErrorItem("This field is required."),  # the hidden token: no field to go to
    ]


def test_rows_of_a_formset_are_named_and_an_unbound_or_valid_form_adds_nothing():
    formset = forms.formset_factory(Person, formset=People, extra=2)(
        {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-grade": "9", "form-1-grade": "ten"}
    )
    context = Context({"people": formset, "filters": Person({"grade": "3"}), "blank": Visit()})
    assert error_items(context) == [ErrorItem("Person 2, grade: Enter a whole number.", "#id_form-1-grade")]


def summary(response) -> str:
    html = response.content.decode()
    match = re.search(r"<div class=\"alert alert-danger error-summary\".*?</div>", html, re.S)
    assert match, "no error summary"
    return match.group(0)


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


# (form page, persona, url name, its argument, data posted (None: the query string of a GET), the field
# a link must point at)
PAGES = [
    (
        "district",
        "coordinator",
        "schools:district_create",
        None,
        {"name": TYPED, "nces_id": "12"},
        "id_nces_id",
    ),
    ("school", "coordinator", "schools:create", None, {"name": TYPED}, "id_district"),
    ("assignment", "coordinator", "schools:assignment_create", None, {"notes": TYPED}, "id_officer"),
    ("agency", "coordinator", "officers:agency_create", None, {"contact_name": TYPED}, "id_name"),
    ("officer", "coordinator", "officers:update", "officer", {"first_name": TYPED}, "id_last_name"),
    ("note", "officer_a", "officers:note_create", None, {"narrative": TYPED}, "id_minutes"),
    ("course", "coordinator", "training:course_create", None, {"provider": TYPED}, "id_name"),
    ("record", "officer_a", "training:record_create", None, {"provider": TYPED}, "id_course"),
    ("drill", "admin_a", "drills:create", "school", {"observations": TYPED}, "id_drill_type"),
    ("survey", "coordinator", "surveys:create", None, {"title": TYPED}, "id_opens_on"),
    ("threat", "admin_a", "incidents:threat_create", None, {"threat": TYPED}, "id_student"),
    ("category", "coordinator", "incidents:categories", None, {"name": TYPED, "code": "a b"}, "id_code"),
    ("incident filter", "admin_a", "incidents:list", None, None, "id_date_from"),
    (
        "password",
        "admin_a",
        "password_change",
        None,
        {"old_password": "x", "new_password1": TYPED},
        "id_new_password2",
    ),
]


@pytest.mark.parametrize(
    ("form_page", "persona", "url_name", "arg", "data", "field_id"), PAGES, ids=[p[0] for p in PAGES]
)
def test_a_form_with_errors_opens_with_a_summary_linking_each_error_and_keeps_what_was_typed(
    form_page,
    persona,
    url_name,
    arg,
    data,
    field_id,
    client,
    coordinator,
    admin_a,
    officer_a,
    school_a,
    agency,
):
    client.force_login({"coordinator": coordinator, "admin_a": admin_a, "officer_a": officer_a}[persona])
    url = reverse(url_name, args={"officer": [officer_a.officer.pk], "school": [school_a.pk], None: []}[arg])
    response = client.get(url, {"date_from": TYPED}) if data is None else client.post(url, data)
    assert response.status_code in {200, 400}
    assert title(response).startswith("Error: ")
    assert f'<a class="alert-link" href="#{field_id}">' in summary(response)
    assert f'id="{field_id}"' in response.content.decode()  # the link lands on the field
    if form_page != "password":  # a password is never sent back to the browser
        assert "Typed &lt;before&gt; the error" in response.content.decode()


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client, admin_a):
    client.force_login(admin_a)
    response = client.get(reverse("incidents:create"))
    assert "data-error-summary" not in response.content.decode()
    assert title(response).startswith("Log an incident")


def test_the_sign_in_form_says_what_is_wrong_in_the_summary(client, admin_a):
    response = client.post(
        reverse("login"),
        {"login_view-current_step": "auth", "auth-username": "admin_a", "auth-password": "wrong"},
    )
    assert title(response).startswith("Error: ")
    assert "Please enter a correct username and password" in summary(response)


def test_looking_for_forms_leaves_lazy_values_such_as_the_csrf_token_unevaluated():
    from django.utils.functional import SimpleLazyObject

    evaluated = []
    token = SimpleLazyObject(lambda: evaluated.append(True) or "token")  # would set the CSRF cookie
    assert error_items(Context({"csrf_token": token})) == []
    assert evaluated == []
