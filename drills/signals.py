"""Calendar addresses exist from the moment a school does, so that showing one is a read
(no state change over GET)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from schools.models import School

from .models import CalendarFeed


@receiver(post_save, sender=School)
def give_new_schools_a_calendar_feed(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        CalendarFeed.for_school(instance)
        CalendarFeed.for_district(instance.district_id)
        CalendarFeed.for_district(None)  # the whole program's
