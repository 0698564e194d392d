"""The form renderer (settings.FORM_RENDERER).

Django renders a <select> with two template includes per option (the option, and its
attributes). A filter bar offering the district's 60 schools made that the slowest part of
the incident list and the dashboard, so this renderer builds <select> in Python instead,
with the same markup and escaping as Django's templates. Everything else renders through
the project's template engine (TemplatesSetting), as before."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> SafeString:
    """Django's attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return mark_safe(  # noqa: S308 - every name and value is escaped here
        "".join(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def _options(options: list[dict]) -> SafeString:
    return format_html_join(
        "",
        '\n  <option value="{}"{}>{}</option>\n',  # select_option.html ends with a newline
        ((str(o["value"]), _attrs(o["attrs"]), o["label"]) for o in options),
    )


def render_select(widget: dict) -> SafeString:
    parts = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(
                format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, _options(options))
            )
        else:
            parts.append(_options(options))
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        widget["name"],
        _attrs(widget["attrs"]),
        mark_safe("".join(parts)),  # noqa: S308 - built from escaped parts
    )


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if (
            template_name == SELECT
            and widget is not None
            and all(o["template_name"] == OPTION for _, options, _ in widget["optgroups"] for o in options)
        ):
            return render_select(widget)
        return super().render(template_name, context, request=request)
