"""core.escaping: the markup written in Python (widgets, tile tables) escapes as Django does."""

from core.escaping import escape


def test_values_are_escaped_as_conditional_escape_would():
    from decimal import Decimal

    from django.utils.html import conditional_escape
    from django.utils.safestring import SafeString, mark_safe
    from django.utils.translation import gettext_lazy

    values = [
        "<b>\"Tom\" & 'Jerry'</b>",
        "",
        "plain",
        mark_safe("<i>kept</i>"),
        SafeString("<b>"),
        gettext_lazy("<lazy> & text"),
        0,
        -12,
        2.5,
        float("nan"),
        True,
        Decimal("1.50"),
    ]
    for value in values:
        assert escape(value) == conditional_escape(value)
