"""Escaping for markup written in Python: form widgets (core.forms), tile tables (reports.tiles),
the CRDC and SSEC cells and the survey results' rows and comments (their template filters)."""

from __future__ import annotations

import html
from typing import Any

from django.utils.html import conditional_escape


def escape(value: Any) -> str:
    """conditional_escape's text, with plain strings and numbers (nearly every value) written
    directly: the same text, without its checks for lazy and safe strings in each of the
    thousands of values a form's options or a dashboard's tables write (~1 µs a value)."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int or kind is float:
        return str(value)
    return conditional_escape(value)
