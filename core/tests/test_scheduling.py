"""core.scheduling.task_day: the day a scheduled task works on."""

import datetime

import time_machine

from core.scheduling import task_day


def test_an_operator_catching_up_names_the_day():
    assert task_day("2026-11-23") == datetime.date(2026, 11, 23)


@time_machine.travel("2026-11-24 02:30 +00:00", tick=False)
def test_by_default_it_is_the_districts_today_not_utcs(settings):
    settings.TIME_ZONE = "America/New_York"  # 21:30 on the 23rd there
    assert task_day(None) == datetime.date(2026, 11, 23)
