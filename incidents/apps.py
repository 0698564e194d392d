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
        from core.dispatcher import delivered

        from . import services

        datacache.watch("incidents", INCIDENT_DATA)
        delivered.connect(
            lambda sender, delivery, **kwargs: services.mark_alert_reached(delivery),
            weak=False,
            dispatch_uid="incidents.alert_reached",
        )
