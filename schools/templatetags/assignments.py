from django import template

from schools.models import Assignment

register = template.Library()


@register.filter
def state_on(assignment: Assignment, day) -> str:
    """`{{ assignment|state_on:today }}`: Upcoming, Current or Ended (Assignment.state_on)."""
    return assignment.state_on(day)
