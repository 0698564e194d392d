"""{% bs_field %}: a field keeps what was typed and says what is wrong."""

from django import forms
from django.template import Context, Template


class Filters(forms.Form):
    q = forms.CharField(label="Search", required=False, help_text="Name or badge")
    level = forms.ChoiceField(choices=[("", "All levels"), ("1", "Level 1")], required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))


def render(form, name):
    return Template("{% load bs_fields %}{% bs_field field %}").render(Context({"field": form[name]}))


def test_a_wrong_value_is_kept_marked_invalid_and_explained():
    html = render(Filters({"date_from": "2026-13-45"}), "date_from")
    assert 'value="2026-13-45"' in html
    assert 'class="form-control is-invalid"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_date_from_error"' in html
    assert '<div class="invalid-feedback d-block" id="id_date_from_error">Enter a valid date.</div>' in html
    assert '<label class="form-label" for="id_date_from">From</label>' in html


def test_selects_get_bootstrap_select_class_and_keep_the_choice():
    html = render(Filters({"level": "1"}), "level")
    assert 'class="form-select"' in html
    assert '<option value="1" selected>Level 1</option>' in html
    assert "invalid" not in html


def test_help_text_is_linked_to_the_control():
    html = render(Filters(), "q")
    assert 'aria-describedby="id_q_helptext"' in html
    assert '<div class="form-text" id="id_q_helptext">Name or badge</div>' in html


class Required(forms.Form):
    note = forms.CharField(label="Note", widget=forms.Textarea)


def test_a_required_field_is_marked_like_crispy_does():
    html = render(Required(), "note")
    assert '<label class="form-label requiredField" for="id_note">' in html
    assert 'Note<span class="asteriskField">*</span></label>' in html
    assert "<textarea" in html and 'class="form-control"' in html and "required" in html


def bar(form):
    return Template('{% load bs_fields %}{% filter_bar form "col" %}').render(Context({"form": form}))


def test_filter_bar_kept_per_distinct_filter_matches_a_fresh_render(settings):
    first = bar(Filters({"q": "knife", "date_from": "2026-13-45"}))
    assert 'value="knife"' in first and "Enter a valid date." in first
    assert bar(Filters({"q": "knife", "date_from": "2026-13-45"})) == first  # from the cache
    settings.DATA_CACHE_SECONDS = 0
    assert bar(Filters({"q": "knife", "date_from": "2026-13-45"})) == first  # rendered afresh
    settings.DATA_CACHE_SECONDS = 3600
    other = bar(Filters({"q": "gun"}))
    assert 'value="gun"' in other and "knife" not in other and "invalid" not in other


def test_filter_bar_changes_with_the_choices_offered():
    form = Filters({"level": "1"})
    before = bar(form)
    form = Filters({"level": "1"})
    form.fields["level"].choices = [("", "All levels"), ("1", "Level 1"), ("2", "Level 2")]
    after = bar(form)
    assert "Level 2" not in before and "Level 2" in after
