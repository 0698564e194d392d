from django.apps import AppConfig

# What the cached incident reports (core.datacache) read.
INCIDENT_DATA = [
    "incidents.Incident",
    "incidents.IncidentPerson",
    "incidents.IncidentCategory",
    "schools.School",
]


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        from core import datacache

        datacache.watch("incidents", INCIDENT_DATA)
