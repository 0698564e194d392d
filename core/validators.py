"""Validators for one-line text: names and titles that end up in a calendar feed, a file
name or an email header, where a line break or another control character splits a line
(header injection, a broken iCalendar property) or hides text (bidirectional overrides)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# C0 and C1 controls (tab and line breaks included), DEL, the Unicode line and paragraph
# separators, and the bidirectional embedding / override / isolate characters.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@deconstructible
class SingleLineValidator:
    message = "Use one line of plain text: line breaks, tabs and other control characters are not allowed."
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, SingleLineValidator)


single_line = SingleLineValidator()


def one_line(value: str) -> str:
    """`value` with every control character replaced by a space: for text already stored
    (written before the validator, or by a bulk load) on its way into a feed or a header."""
    return CONTROL_CHARACTERS.sub(" ", value or "").strip()
