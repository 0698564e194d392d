from django.apps import AppConfig

# What the cached compliance matrix (core.datacache) reads: records, the catalogue, officers
# (names, agency, status, start date) and assignments (the first one is the start date).
TRAINING_DATA = [
    "training.TrainingRecord",
    "training.Requirement",
    "training.Course",
    "officers.Officer",
    "officers.Agency",
    "schools.Assignment",
]


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from core import datacache

        datacache.watch("training", TRAINING_DATA)
