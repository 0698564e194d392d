"""The categories New York's SSEC reporting uses, the ones the school handles alone, and
the program's default threshold table. Installed by a data migration; idempotent."""

# (code, name, is_ssec, is_code_of_conduct, {severity: (level, response minutes)})
# Levels: 0 school handles, 1 SRO informed, 2 SRO responds / investigates, 3 immediate (911).
SCHOOL: tuple[int, int | None] = (0, None)
DEFAULT_CATEGORIES: list[tuple[str, str, bool, bool, dict[str, tuple[int, int | None]]]] = [
    ("homicide", "Homicide", True, False, {"low": (3, 5), "moderate": (3, 5), "high": (3, 5)}),
    ("sexual_offense", "Sexual offense", True, False, {"low": (2, 60), "moderate": (2, 30), "high": (3, 5)}),
    (
        "assault_injury",
        "Assault with injury",
        True,
        False,
        {"low": (1, 240), "moderate": (2, 30), "high": (3, 5)},
    ),
    ("weapons", "Weapons possession", True, False, {"low": (2, 15), "moderate": (3, 5), "high": (3, 5)}),
    (
        "bullying",
        "Discrimination, harassment or bullying (incl. cyberbullying)",
        True,
        False,
        {"low": SCHOOL, "moderate": SCHOOL, "high": (1, 1440)},
    ),
    ("bomb_threat", "Bomb threat", True, False, {"low": (3, 5), "moderate": (3, 5), "high": (3, 5)}),
    ("false_alarm", "False alarm", True, False, {"low": SCHOOL, "moderate": (1, 1440), "high": (2, 60)}),
    (
        "other_threat",
        "Other threat (e.g. threat to shoot)",
        True,
        False,
        {"low": (2, 15), "moderate": (3, 5), "high": (3, 5)},
    ),
    ("drugs", "Drugs", True, False, {"low": SCHOOL, "moderate": (1, 1440), "high": (2, 60)}),
    ("alcohol", "Alcohol", True, False, {"low": SCHOOL, "moderate": SCHOOL, "high": (1, 1440)}),
    ("fight", "Fight without injury", False, True, {}),
    ("theft", "Theft", False, True, {}),
    ("vandalism", "Vandalism", False, True, {}),
    ("trespass", "Trespass", False, True, {}),
    ("conduct", "Code-of-conduct violation", False, True, {}),
]
SEVERITIES = ["low", "moderate", "high"]


def install_defaults(category_model, threshold_model) -> None:
    for order, (code, name, is_ssec, is_conduct, table) in enumerate(DEFAULT_CATEGORIES, start=1):
        category, _ = category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_ssec": is_ssec,
                "is_code_of_conduct": is_conduct,
                "sort_order": order * 10,
            },
        )
        for severity in SEVERITIES:
            level, minutes = table.get(severity, SCHOOL)
            threshold_model.objects.get_or_create(
                category=category, severity=severity, defaults={"level": level, "response_minutes": minutes}
            )
