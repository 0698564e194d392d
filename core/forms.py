"""The one way forms render (settings.FORM_RENDERER).

Every form, filter bar included, renders through Django's own machinery with one Bootstrap 5
template set in templates/forms/: `{{ form }}` for a whole form, `{{ form.x.as_field_group }}`
for one field. Django supplies the accessibility (`aria-describedby` pointing at
`<id>_helptext` and `<id>_error`, `aria-invalid`, `required`); this module adds Bootstrap's
classes to the widgets, so the templates never repeat them. A widget's attributes and a select's
options are written by `core.templatetags.form_widgets` (the overridden attrs.html and
select.html): as template loops they were most of a list page's or a long form's time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def bootstrap_class(widget: forms.Widget) -> str:
    """Bootstrap's class for a widget's control; "" where it has none (hidden inputs, and the
    admin's widgets, which bring their own styles)."""
    if widget.is_hidden or type(widget).__module__.startswith("django.contrib.admin"):
        return ""
    if isinstance(widget, CHECKS):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class BootstrapBoundField(BoundField):
    @property
    def bootstrap_kind(self) -> str:
        """How templates/forms/field.html lays the field out: "choices" (radio buttons or
        checkboxes, one per choice, in a fieldset), "check" (one checkbox) or "field"."""
        widget = self.field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return "choices"
        if isinstance(widget, forms.CheckboxInput):
            return "check"
        return "field"

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        css = bootstrap_class(widget or self.field.widget)
        if css:
            existing = str(attrs.get("class") or (widget or self.field.widget).attrs.get("class", ""))
            classes = [c for c in [existing, css, "is-invalid" if self.errors else ""] if c]
            attrs["class"] = " ".join(dict.fromkeys(" ".join(classes).split()))
        return attrs


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField
