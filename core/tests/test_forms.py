"""Every form renders one way (core.forms.FormRenderer and templates/forms/): Bootstrap's
markup, a field that says what is wrong and where, and Django's own <select> markup."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template import Context, Template
from django.urls import reverse

from core.forms import FormRenderer


class NoteFilter(forms.Form):
    date_from = forms.DateField(required=False, help_text="First day shown")
    school = forms.ChoiceField(choices=[("", "All schools"), ("1", "Alpha & <Beta>")], required=False)
    note = forms.CharField(widget=forms.Textarea)
    follow_up = forms.BooleanField(required=False, label="Needs a follow-up")
    kind = forms.ChoiceField(choices=[("a", "Patrol"), ("b", "Mentoring")], widget=forms.RadioSelect)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def test_a_wrong_value_is_kept_marked_invalid_and_explained():
    field = NoteFilter({"date_from": "31/31/2026"})["date_from"]
    html = field.as_field_group()
    assert 'value="31/31/2026"' in html
    assert 'class="form-control is-invalid"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_date_from_helptext id_date_from_error"' in html
    assert '<div class="invalid-feedback d-block" id="id_date_from_error">Enter a valid date.</div>' in html
    assert '<div class="form-text" id="id_date_from_helptext">First day shown</div>' in html


def test_a_required_field_is_marked_with_an_asterisk_and_the_required_attribute():
    html = NoteFilter()["note"].as_field_group()
    label = '<label class="form-label requiredField" for="id_note">Note<span class="asteriskField">*</span>'
    assert label in html
    assert "<textarea" in html and 'class="form-control"' in html and " required" in html
    assert "requiredField" not in NoteFilter()["date_from"].as_field_group()


def test_a_checkbox_sits_before_its_label_in_a_form_check():
    html = NoteFilter()["follow_up"].as_field_group()
    assert '<div id="div_id_follow_up" class="mb-3 form-check">' in html
    assert html.index('type="checkbox"') < html.index('<label class="form-check-label" for="id_follow_up">')
    assert 'class="form-check-input"' in html


def test_radio_buttons_are_a_fieldset_with_a_legend_and_one_labelled_input_per_choice():
    html = NoteFilter({"kind": "z"})["kind"].as_field_group()
    assert html.startswith('<fieldset id="div_id_kind" class="mb-3" aria-describedby="id_kind_error">')
    assert '<legend class="form-label fs-6 requiredField">Kind' in html
    assert html.count('class="form-check-input is-invalid"') == 2
    assert '<label class="form-check-label" for="id_kind_1">Mentoring</label>' in html
    assert 'id="id_kind_error">Select a valid choice.' in html


def test_a_whole_form_shows_errors_not_tied_to_a_field_and_keeps_hidden_fields_hidden():
    class Range(NoteFilter):
        def clean(self):
            raise forms.ValidationError("The range ends before it starts.")

    html = str(Range({"note": "x", "kind": "a"}))
    alert = '<div class="alert alert-danger"><p class="mb-0">The range ends before it starts.'
    assert alert in html
    assert '<input type="hidden" name="token" id="id_token">' in html
    # four fields in a div and kind's fieldset
    assert html.count('class="mb-3"') + html.count('class="mb-3 form-check"') == 5
    assert html.count("<fieldset") == 1


def test_a_lists_filters_put_each_field_in_its_column_under_one_search_landmark():
    include = '{% include "forms/filter_form.html" with form=form label="Filter notes" columns="col-md-3" %}'
    html = Template(include).render(Context({"form": NoteFilter()}))
    assert html.count('<div class="col-md-3">') == len(NoteFilter.base_fields)
    assert 'class="form-select"' in html
    assert html.count("<form") == 1 and 'role="search" aria-label="Filter notes"' in html
    assert ">Filter</button>" in html and '<a href="?" class="btn btn-outline-secondary">Clear</a>' in html
    # Without columns, one field a line on a phone.
    html = Template('{% include "forms/filter_form.html" with form=form label="x" %}').render(
        Context({"form": NoteFilter()})
    )
    assert html.count('<div class="col-12 col-sm-6 col-lg">') == len(NoteFilter.base_fields)


def test_the_admins_widgets_keep_their_own_classes():
    from django.contrib.admin.widgets import AdminTextInputWidget

    class Admin(forms.Form):
        name = forms.CharField(widget=AdminTextInputWidget)

    assert 'class="vTextField"' in str(Admin()["name"])


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("a", "Alpha & <Beta>"), ("b", 'Say "hi"')])
    grouped = forms.ChoiceField(
        choices=[("Schools", [("1", "Alpha High"), ("2", "Bravo")]), ("Other", [("x", "None")])],
        widget=forms.Select(attrs={"aria-describedby": "x_help"}),
    )
    many = forms.MultipleChoiceField(choices=[(i, f"Option {i}") for i in range(5)], required=False)
    flag = forms.NullBooleanField(required=False)
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True)


def test_our_select_template_writes_exactly_djangos_markup():
    for data in (None, {"plain": "a", "grouped": "2", "many": ["1", "3"], "flag": "true"}):
        for name in Choices.base_fields:
            ours = str(Choices(data, renderer=TemplatesSetting())[name])
            djangos = str(Choices(data, renderer=DjangoTemplates())[name])
            assert ours == djangos and "<option" in ours, name


def test_option_labels_and_values_are_escaped():
    html = str(Choices(renderer=FormRenderer())["plain"])
    assert "Alpha &amp; &lt;Beta&gt;" in html
    assert "Say &quot;hi&quot;" in html
    assert "<Beta>" not in html


class Ticks(forms.Form):
    days = forms.MultipleChoiceField(
        choices=[(1, "Mon & <Tue>"), (2, 'Say "Wed"'), (3, "Thu")], widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(choices=[("a", "Patrol"), ("b", "Mentoring")], widget=forms.RadioSelect)
    off = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, disabled=True, required=False)


def test_checkboxes_and_radio_buttons_write_exactly_djangos_input_of_each_choice():
    for data in (None, {"days": ["1", "3"], "kind": "b"}, {"days": ["9"]}):
        form = Ticks(data, renderer=FormRenderer())
        for name in Ticks.base_fields:
            html = form[name].as_field_group()
            inputs = [str(option.tag()) for option in form[name]]
            assert html.count("<input") == len(inputs), name
            for tag in inputs:
                assert tag.startswith("<input"), (name, tag)
                assert f'<div class="form-check">{tag}<label' in html, (name, tag)


class Inputs(forms.Form):
    text = forms.CharField(
        max_length=20, help_text="Say <why>", widget=forms.TextInput(attrs={"list": "a&b"})
    )
    number = forms.IntegerField(min_value=0)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    at = forms.TimeField(required=False)
    tick = forms.BooleanField(required=False)
    upload = forms.FileField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "Alpha & <Beta>")], required=False)
    off = forms.CharField(disabled=True, required=False, widget=forms.TextInput(attrs={"autofocus": True}))


INPUT_DATA = {
    "text": 'He said "hi" & <left>',
    "number": "-3",
    "email": "x@example.org",
    "url": "javascript:alert(1)",
    "secret": "s<3",
    "hidden": "2",
    "day": "2026-12-05",
    "moment": "2026-12-05T10:00",
    "tick": "on",
    "note": "Line one\n</textarea><script>x</script>",
    "choice": "a",
}


def test_the_widgets_drawn_in_python_write_exactly_djangos_markup():
    # core.forms.FormRenderer writes inputs, textareas and selects without the template engine.
    for data in (None, INPUT_DATA, {"number": "x", "note": ""}):
        form = Inputs(data, renderer=FormRenderer())
        for field in form:
            attrs = {**field.build_widget_attrs({}), "id": field.auto_id}
            value = field.value()
            ours = field.field.widget.render(field.html_name, value, attrs, renderer=FormRenderer())
            djangos = field.field.widget.render(field.html_name, value, attrs, renderer=DjangoTemplates())
            assert ours == djangos and ours == str(field), (field.name, ours, djangos)
    escaped = str(Inputs(INPUT_DATA, renderer=FormRenderer())["note"])
    assert "&lt;/textarea&gt;&lt;script&gt;" in escaped and "<script>" not in escaped


class Groups(forms.Form):
    unlabelled = forms.CharField(label="", required=False)
    both = forms.SplitDateTimeField(help_text="Day <b>and</b> time")
    agree = forms.BooleanField(label="I agree & <sign>")
    code = forms.CharField(max_length=2, label='Code "A&B"')


def test_every_field_group_drawn_in_python_is_exactly_our_field_template():
    # core.forms.FormRenderer writes templates/forms/field.html without the template engine.
    cases = [
        (NoteFilter, [None, {"date_from": "31/31/2026", "kind": "z"}, {"note": "x", "follow_up": "on"}]),
        (Inputs, [None, INPUT_DATA, {"number": "x", "note": ""}]),
        (Ticks, [None, {"days": ["1", "3"], "kind": "b"}, {"days": ["9"]}]),
        (Choices, [None, {"plain": "z"}]),
        (Groups, [None, {"code": "<long>", "both_0": "x"}]),
    ]
    for form_class, datas in cases:
        for data in datas:
            for field in form_class(data, renderer=FormRenderer()):
                ours = field.as_field_group()
                template = TemplatesSetting().render("forms/field.html", {"field": field})
                assert ours == template, (form_class.__name__, field.name, ours, template)
    html = Groups({"code": "<long>"}, renderer=FormRenderer())["code"].as_field_group()
    assert "Code &quot;A&amp;B&quot;" in html and "&lt;long&gt;" in html


LISTS = [
    "incidents:list",
    "officers:list",
    "officers:agency_list",
    "officers:note_list",
    "schools:list",
    "schools:assignment_list",
    "training:record_list",
    "drills:log",
    "surveys:list",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
def test_every_lists_filters_say_what_an_empty_choice_means(name, coordinator_client, school_a, officer_a):
    response = coordinator_client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="search"') == 1
    assert ">Clear</a>" in html
    assert "---------" not in html  # "All schools", "Any status": not a row of dashes
