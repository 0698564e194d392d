"""core.renderers builds <select> in Python: the markup must be exactly Django's."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from core.renderers import FormRenderer


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("a", "Alpha & <Beta>"), ("b", 'Say "hi"')])
    grouped = forms.ChoiceField(
        choices=[("Schools", [("1", "Alpha High"), ("2", "Bravo")]), ("Other", [("x", "None")])],
        widget=forms.Select(attrs={"class": "form-select is-invalid", "aria-describedby": "x_help"}),
    )
    many = forms.MultipleChoiceField(choices=[(i, f"Option {i}") for i in range(5)], required=False)
    flag = forms.NullBooleanField(required=False)
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True)


@pytest.mark.parametrize("name", ["plain", "grouped", "many", "flag", "disabled"])
@pytest.mark.parametrize("data", [None, {"plain": "a", "grouped": "2", "many": ["1", "3"], "flag": "true"}])
def test_select_markup_is_the_same_as_djangos_templates(name, data):
    ours = Choices(data, renderer=FormRenderer())[name]
    djangos = Choices(data, renderer=TemplatesSetting())[name]
    assert str(ours) == str(djangos)
    assert "<option" in str(ours)


def test_labels_and_values_are_escaped():
    html = str(Choices(renderer=FormRenderer())["plain"])
    assert "Alpha &amp; &lt;Beta&gt;" in html
    assert "Say &quot;hi&quot;" in html
    assert "<Beta>" not in html
