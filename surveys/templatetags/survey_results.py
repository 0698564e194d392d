"""Rows of the survey results built in Python: one row per officer, school and audience
(~180) and every comment (~1,400 on the large district); a template lookup per cell and per
comment was most of the page's time (README, Every page)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.escaping import escape

from ..selectors import MIN_GROUP, GroupRow

register = template.Library()


def _figure(value: object) -> str:
    """A count or a mean as it was shown unlocalized; None (and 0) as a dash."""
    return str(value) if value else "—"


@register.filter
def group_cells(row: GroupRow, rates: bool) -> SafeString:
    """A group's `<td>`s after its name: responses, (invited, answered, rate,) the means."""
    cells = [str(row.responses)]
    if rates:
        cells += [str(row.invited), str(row.answered), "—" if row.rate is None else f"{row.rate}%"]
    html = "".join(f"<td>{cell}</td>" for cell in cells)
    if row.hidden:
        why = (
            "hidden, with a smaller group whose scores it would give away"
            if row.withheld
            else f"fewer than {MIN_GROUP} responses: hidden"
        )
        return mark_safe(f'{html}<td colspan="{len(row.means)}">{why}</td>')  # noqa: S308 - numbers only
    return mark_safe(html + "".join(f"<td>{_figure(mean)}</td>" for mean in row.means))  # noqa: S308 - numbers only


def _text_html(text: str) -> str:
    """What `linebreaksbr(text, autoescape=True)` makes of a comment (a plain string): its
    newlines normalized, escaped as `django.utils.html.escape` does (core.escaping), each line
    break a `<br>`;
    without the filter's lazy-string wrappers, which were most of ~1,400 comments' cost."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


@register.filter
def comment_items(comments: list[tuple[str, str, str]]) -> SafeString:
    """An `<li>` for each (audience, school, text) comment, its text escaped."""
    pooled = f"From a group with fewer than {MIN_GROUP} responses: school and audience not shown"
    labels: dict[tuple[str, str], str] = {}  # a few dozen groups for ~1,400 comments
    items = []
    for audience_label, school_name, text in comments:
        group = (audience_label, school_name)
        if school_name and group not in labels:
            labels[group] = f"{escape(audience_label)}, {escape(school_name)}"
        label = labels[group] if school_name else pooled
        items.append(
            f'<li class="list-group-item"><p class="mb-1">{_text_html(text)}</p>'
            f'<span class="small text-body-secondary">\n    {label}</span></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every text escaped above
