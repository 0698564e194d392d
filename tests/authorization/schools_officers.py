"""Schools and the officer roster."""

from . import coordinator_only, school_a_scoped, signed_in

ENTRIES = {
    "schools:list": signed_in(),
    "schools:detail": school_a_scoped(kwargs=lambda world: {"pk": world.school_a.pk}),
    "officers:list": coordinator_only(),
    "officers:detail": coordinator_only(kwargs=lambda world: {"pk": world.officer_a.officer.pk}),
}
