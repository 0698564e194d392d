from django.apps import AppConfig

# What the cached compliance overview (core.datacache) reads.
DRILL_DATA = ["drills.Drill", "drills.DrillRequirement", "drills.SummerSession", "schools.School"]


class DrillsConfig(AppConfig):
    name = "drills"
    verbose_name = "Drills"

    def ready(self) -> None:
        from core import datacache

        from . import signals  # noqa: F401

        datacache.watch("drills", DRILL_DATA)
