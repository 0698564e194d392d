from django import template

register = template.Library()


@register.filter
def state_on(assignment, day) -> str:
    """Current, Upcoming or Ended, for an assignment on `day`."""
    if assignment.start_date > day:
        return "Upcoming"
    if assignment.end_date is not None and assignment.end_date < day:
        return "Ended"
    return "Current"


@register.filter
def hours(minutes) -> str:
    """Minutes as hours with one decimal: 90 -> '1.5'."""
    return f"{(minutes or 0) / 60:.1f}"
