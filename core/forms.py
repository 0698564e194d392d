"""The one way forms render (settings.FORM_RENDERER).

Every form, filter bar included, renders through Django's own machinery with one Bootstrap 5
template set in templates/forms/: `{{ form }}` for a whole form, `{{ form.x.as_field_group }}`
for one field. Django supplies the accessibility (`aria-describedby` pointing at
`<id>_helptext` and `<id>_error`, `aria-invalid`, `required`); this module adds Bootstrap's
classes to the widgets, so the templates never repeat them.

Django's common widgets (inputs, textareas, selects) and a field's radio buttons or checkboxes
are written here in Python, byte for byte the markup of Django's templates (tested against
them): through the template engine each widget cost ~0.2 ms, and a form or a filter bar draws
dozens (README, Every page (issue 19)). So is templates/forms/field.html, a field with its
label, errors and help text (`field_group`; the template stays as the markup it must equal).
Templates reach the same functions through `core.templatetags.form_widgets`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

from core.escaping import escape

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


def html_attrs(attrs: dict[str, Any]) -> str:
    """A widget's HTML attributes as Django's attrs.html writes them: True a bare attribute,
    False left out, every value escaped."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_options(widget: dict[str, Any]) -> str:
    """A select widget's <option>s and <optgroup>s as Django's select.html and
    select_option.html write them."""
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{escape(str(option["value"]))}"{html_attrs(option["attrs"])}>'
            f"{escape(option['label'])}</option>\n"
            for option in group_choices
        )
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{value}{html_attrs(widget['attrs'])}>"
    )


def choice_inputs(field: BoundField) -> str:
    """A radio or checkbox field's choices, each Django's <input> (input.html) and its label in
    a Bootstrap form-check (templates/forms/field.html)."""
    parts = []
    for option in field:
        parts.append(
            f'<div class="form-check">{_input(option.data)}'
            f'<label class="form-check-label" for="{escape(option.id_for_label)}">'
            f"{escape(option.choice_label)}</label></div>"
        )
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    value = escape(widget["value"]) if widget["value"] else ""
    name = escape(widget["name"])
    return f'<textarea name="{name}"{html_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict[str, Any]) -> str:
    name = escape(widget["name"])
    return f'<select name="{name}"{html_attrs(widget["attrs"])}>{select_options(widget)}\n</select>'


_WIDGETS = "django/forms/widgets/"
# Django's widget templates that are its input.html and nothing else.
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time")
    + ("search", "tel", "color", "checkbox", "file")
)


# Written here rather than by the template engine: the same markup as Django's templates, byte
# for byte (core/tests/test_forms.py compares them), at a fraction of the time: each widget
# drawn by a template cost ~0.2 ms, and a form or a filter bar draws dozens (README, Every page).
_IN_PYTHON = {
    **dict.fromkeys(_INPUTS, _input),
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
}


def field_group(field: BootstrapBoundField) -> str:
    """A field with its label, errors and help text: templates/forms/field.html, byte for byte
    (core/tests/test_forms.py compares them). Through the template engine a field's group cost
    more than its widget, and a filter bar or a form draws one per field."""
    if field.is_hidden:
        return str(field)
    required = field.field.required
    marked = " requiredField" if required else ""
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    text = f"{escape(field.label)}{asterisk}"
    auto_id = escape(field.auto_id)
    fieldset = field.use_fieldset
    if fieldset:
        described = field.aria_describedby
        aria = f' aria-describedby="{escape(described)}"' if described else ""
        legend = ""
        if field.label:
            legend = f'\n  <legend class="form-label fs-6{marked}">{text}</legend>\n  '
        control = f"\n  {choice_inputs(field)}\n  " if field.bootstrap_kind == "choices" else str(field)
        body = f'<fieldset id="div_{auto_id}" class="mb-3"{aria}>\n  {legend}\n  {control}\n'
    else:
        label_for = f'for="{escape(field.id_for_label)}">{text}</label>'
        if field.bootstrap_kind == "check":
            body = (
                f'<div id="div_{auto_id}" class="mb-3 form-check">\n  {field}\n'
                f'  <label class="form-check-label{marked}" {label_for}\n'
            )
        else:
            label = f'\n  <label class="form-label{marked}" {label_for}\n  ' if field.label else ""
            body = f'<div id="div_{auto_id}" class="mb-3">\n  {label}\n  {field}\n'
    errors = help_text = ""
    if field.errors:
        joined = " ".join(escape(str(error)) for error in field.errors)
        errors = f'<div class="invalid-feedback d-block" id="{auto_id}_error">{joined}</div>'
    if field.help_text:
        help_text = f'<div class="form-text" id="{auto_id}_helptext">{field.help_text}</div>'
    end = "</fieldset>" if fieldset else "</div>"
    # Without the template's leading and trailing newlines: Django's renderers strip them.
    return f"{body}\n  {errors}\n  {help_text}\n{end}"


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField

    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        draw = _IN_PYTHON.get(template_name)
        if draw is not None and "widget" in context:
            return draw(context["widget"])
        field = context.get("field")
        if template_name == self.field_template_name and isinstance(field, BootstrapBoundField):
            return field_group(field)
        return super().render(template_name, context, request=request)
