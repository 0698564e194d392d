"""The categories New York's SSEC reporting uses, the ones the school handles alone, and
the program's default threshold table. Installed by a data migration; idempotent."""

# (code, name, is_ssec, is_code_of_conduct, {severity: (level, response minutes)})
# Levels: 0 school handles, 1 SRO informed, 2 SRO responds / investigates, 3 immediate (911).
SCHOOL: tuple[int, int | None] = (0, None)
DEFAULT_CATEGORIES: list[tuple[str, str, bool, bool, dict[str, tuple[int, int | None]]]] = [
    ("homicide", "Homicide", True, False, {"low": (3, 5), "moderate": (3, 5), "high": (3, 5)}),
    ("sexual_offense", "Sexual offense", True, False, {"low": (2, 60), "moderate": (2, 30), "high": (3, 5)}),
    (
        "forcible_sex_offense",
        "Forcible sex offense",
        True,
        False,
        {"low": (3, 5), "moderate": (3, 5), "high": (3, 5)},
    ),
    (
        "assault_injury",
        "Assault with injury",
        True,
        False,
        {"low": (1, 240), "moderate": (2, 30), "high": (3, 5)},
    ),
    ("weapons", "Weapons possession", True, False, {"low": (2, 15), "moderate": (3, 5), "high": (3, 5)}),
    (
        "weapon_security_check",
        "Weapon found in a routine security check",
        True,
        False,
        {"low": (2, 15), "moderate": (3, 5), "high": (3, 5)},
    ),
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


# NYSED's SSEC categories and subcategories (Questions & Answers regarding reporting of SSEC
# data, question 1; quoted in the README): (code, name, group, group name).
SSEC_CATEGORIES = [
    ("1", "Homicide", 1, "Homicide"),
    ("2a", "Forcible sex offenses", 2, "Sexual offenses"),
    ("2b", "Other sex offenses", 2, "Sexual offenses"),
    ("3a", "Physical injury", 3, "Assault"),
    ("3b", "Serious physical injury", 3, "Assault"),
    ("4a", "Routine security check", 4, "Weapons possession"),
    ("4b", "Other", 4, "Weapons possession"),
    ("5a", "All excluding cyberbullying", 5, "Material incidents of discrimination, harassment and bullying"),
    ("5b", "Cyberbullying", 5, "Material incidents of discrimination, harassment and bullying"),
    ("6", "Bomb threat", 6, "Bomb threat"),
    ("7", "False alarm", 7, "False alarm"),
    ("8", "Use, possession or sale of drugs", 8, "Use, possession or sale of drugs"),
    ("9", "Use, possession or sale of alcohol", 9, "Use, possession or sale of alcohol"),
]
# Where our seeded categories are reported, for every school year until a coordinator changes
# it: (category code, SSEC code, split, second SSEC code, note).
SSEC_FIRST_YEAR = 2000
SSEC_DEFAULT_MAPPINGS = [
    ("homicide", "1", "", None, ""),
    ("forcible_sex_offense", "2a", "", None, ""),
    ("sexual_offense", "2b", "", None, "Forcible sex offenses are logged as “Forcible sex offense” (2a)."),
    (
        "assault_injury",
        "3a",
        "serious_injury",
        "3b",
        "Serious physical injury (3b) when the injury was serious.",
    ),
    ("weapon_security_check", "4a", "", None, ""),
    ("weapons", "4b", "", None, ""),
    ("bullying", "5a", "online", "5b", "Cyberbullying (5b) when it happened online."),
    (
        "other_threat",
        "5a",
        "online",
        "5b",
        "Not a NYSED category: reported as harassment (threats, intimidation or abuse, "
        "Education Law §11(7)); 5b when online. A threat of a bomb is logged as “Bomb threat”.",
    ),
    ("bomb_threat", "6", "", None, ""),
    ("false_alarm", "7", "", None, ""),
    ("drugs", "8", "", None, ""),
    ("alcohol", "9", "", None, ""),
]


def install_ssec_defaults(category_model, ssec_model, mapping_model) -> None:
    """NYSED's categories and the default mapping of ours onto them; idempotent, and a
    category that already has a mapping keeps it."""
    for order, (code, name, group, group_name) in enumerate(SSEC_CATEGORIES, start=1):
        ssec_model.objects.get_or_create(
            code=code, defaults={"name": name, "group": group, "group_name": group_name, "sort_order": order}
        )
    ssec = {c.code: c for c in ssec_model.objects.all()}
    for code, ssec_code, split, split_code, note in SSEC_DEFAULT_MAPPINGS:
        category = category_model.objects.filter(code=code).first()
        if category is None or mapping_model.objects.filter(category=category).exists():
            continue
        mapping_model.objects.create(
            category=category,
            from_year=SSEC_FIRST_YEAR,
            ssec=ssec[ssec_code],
            split=split,
            split_to=ssec[split_code] if split_code else None,
            note=note,
        )
