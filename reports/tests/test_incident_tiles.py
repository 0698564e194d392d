"""The incident tiles and the monthly report, checked against a hand-counted September.

September 2026, two schools:
  Alpha High School: fight, theft, code-of-conduct violation (school alone, level 0);
                     weapons possession (immediate, level 3).
  Bravo Middle School: bullying raised by override from 0 to 1 ("SRO informed");
                       drugs lowered by override from 1 to 0.
  October 2 (outside the month): an assault at Alpha, level 2.
So in September: 6 incidents, 4 handled by schools alone (67%), 2 with the SRO (33%),
2 overrides (1 raised, 1 lowered), no code-of-conduct incident with the SRO.
Alerts to SROs: weapons → officer A acknowledged after 4 minutes, officer B never (due
5 minutes after sending: missed, escalated); bullying → officer B acknowledged after 30
minutes. Median 17 min; 90th percentile 27 min (4 + 0.9 × (30 − 4) = 27.4, interpolated);
1 missed target.
Threats: an open serious threat at Alpha with a required step due Sep 11 not done (overdue);
a closed transient one at Bravo.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from incidents.models import Alert, Incident, IncidentCategory, ThreatAction, ThreatAssessment

TZ = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 10, 14, 15, 0, tzinfo=TZ), tick=False):
        yield


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def incident(school, by, code: str, when, *, table_level: int, level: int | None = None, reason: str = ""):
    return Incident.objects.create(
        school=school,
        reported_by=by,
        occurred_at=when,
        location="hallway",
        category=IncidentCategory.objects.get(code=code),
        severity="moderate",
        description="Hand-counted fixture.",
        table_level=table_level,
        level=table_level if level is None else level,
        override_reason=reason,
        overridden_by=by if reason else None,
    )


@pytest.fixture
def september(school_a, school_b, coordinator, officer_a, officer_b):
    a, b = school_a, school_b
    for day, code in [(3, "fight"), (8, "theft"), (15, "conduct")]:
        incident(a, coordinator, code, at(9, day), table_level=0)
    weapons = incident(a, coordinator, "weapons", at(9, 20), table_level=3)
    bullying = incident(
        b, coordinator, "bullying", at(9, 22), table_level=0, level=1, reason="Threat posted online"
    )
    incident(
        b, coordinator, "drugs", at(9, 25), table_level=1, level=0, reason="Prescription, parent confirmed"
    )
    incident(a, coordinator, "assault_injury", at(10, 2), table_level=2)
    sent = at(9, 20, 10, 1)
    Alert.objects.create(
        incident=weapons,
        kind="officer",
        officer=officer_a.officer,
        recipient=officer_a,
        level=3,
        sent_at=sent,
        due_at=sent + datetime.timedelta(minutes=5),
        acknowledged_at=sent + datetime.timedelta(minutes=4),
    )
    Alert.objects.create(
        incident=weapons,
        kind="officer",
        officer=officer_b.officer,
        recipient=officer_b,
        level=3,
        sent_at=sent,
        due_at=sent + datetime.timedelta(minutes=5),
        escalated_at=sent + datetime.timedelta(minutes=6),
    )
    sent = at(9, 22, 10, 1)
    Alert.objects.create(
        incident=bullying,
        kind="officer",
        officer=officer_b.officer,
        recipient=officer_b,
        level=1,
        sent_at=sent,
        due_at=sent + datetime.timedelta(days=1),
        acknowledged_at=sent + datetime.timedelta(minutes=30),
    )
    serious = ThreatAssessment.objects.create(
        school=a,
        student="JS",
        reported_on=datetime.date(2026, 9, 10),
        threat="Said he would bring a knife",
        classification="serious",
        created_by=coordinator,
    )
    ThreatAction.objects.create(
        assessment=serious, kind="protective_action", due_date=datetime.date(2026, 9, 11)
    )
    ThreatAction.objects.create(
        assessment=serious, kind="notify_victim", due_date=datetime.date(2026, 9, 10), done_at=at(9, 10)
    )
    ThreatAssessment.objects.create(
        school=b,
        student="KL",
        reported_on=datetime.date(2026, 9, 12),
        threat="Joke",
        classification="transient",
        status="closed",
        closed_at=at(9, 13),
        created_by=coordinator,
    )


def tiles_for(client, url=None, **params):
    response = client.get(url or reverse("reports:monthly"), {"month": "2026-09", **params})
    assert response.status_code == 200
    context = response.context["report"].tiles if "report" in response.context else response.context["tiles"]
    return {t.key: t for t in context}, response


def test_bright_line_answers_in_words_with_every_override(coordinator_client, september):
    tiles, _ = tiles_for(coordinator_client)
    tile = tiles["bright-line"]
    assert tile.answer == (
        "Yes: 67% of incidents (4 of 6) handled by schools alone; 33% with the SRO involved. "
        "No code-of-conduct incident involved the SRO. 2 threshold overrides in this period."
    )
    assert tile.table.rows == [["School alone", 4, "67%"], ["With the SRO involved", 2, "33%"]]
    reasons = {row[4] for row in tile.detail.rows}
    assert reasons == {"Threat posted online", "Prescription, parent confirmed"}
    assert ("Overrides (raised / lowered)", "1 / 1") in tile.figures


def test_bright_line_flags_a_code_of_conduct_incident_involving_the_sro(
    coordinator_client, september, school_a, coordinator
):
    incident(school_a, coordinator, "vandalism", at(9, 28), table_level=0, level=2, reason="Officer asked")
    tiles, _ = tiles_for(coordinator_client)
    answer = tiles["bright-line"].answer
    assert answer.startswith("Not entirely: 57% of incidents (4 of 7)")
    assert "1 code-of-conduct incident involved the SRO." in answer


def test_incidents_by_month_category_school_and_level(coordinator_client, september):
    tiles, _ = tiles_for(coordinator_client)
    assert tiles["by-month"].answer == (
        "6 incidents; most often Code-of-conduct violation (1). Busiest month: Sep 2026 (6)."
    )
    assert tiles["by-month"].table.rows[-1] == ["All categories", 6, 6]
    assert tiles["by-school"].answer == "Most incidents at Alpha High School (4 of 6, 1 with the SRO)."
    assert [row[1:] for row in tiles["by-school"].table.rows] == [[4, 1, 3], [2, 1, 1]]
    assert tiles["levels"].answer == "The SRO was involved in 2 incidents of 6; 1 immediate emergency."
    assert [row[-1] for row in tiles["levels"].table.rows] == [4, 1, 0, 1]


def test_escalation_response_median_p90_and_missed(coordinator_client, september):
    tiles, _ = tiles_for(coordinator_client)
    assert tiles["escalation"].answer == (
        "3 alerts sent to SROs; half acknowledged within 17 min, 90% within 27 min. "
        "1 missed target, 1 escalation to supervisors."
    )


def test_open_threats_and_overdue_steps(coordinator_client, september):
    tiles, _ = tiles_for(coordinator_client)
    assert (
        tiles["threats"].answer
        == "1 open threat assessment (1 serious substantive); 1 required step overdue."
    )
    assert [row[2] for row in tiles["threats"].detail.rows] == ["Take protective action"]


def test_school_administrator_counts_only_their_schools(admin_b_client, september):
    tiles, response = tiles_for(admin_b_client)
    assert tiles["bright-line"].answer.startswith("Yes: 50% of incidents (1 of 2)")
    assert "Alpha High School" not in response.content.decode()


def test_dashboard_links_each_tile_to_the_filtered_incident_list(coordinator_client, september, school_b):
    tiles, _ = tiles_for(coordinator_client, url=reverse("reports:dashboard"), school=school_b.pk)
    link = tiles["by-month"].link
    assert link.startswith(reverse("incidents:list") + "?")
    assert "date_from=2026-07-01" in link and "date_to=2027-06-30" in link and f"school={school_b.pk}" in link
    assert "level=0" in tiles["bright-line"].link


def test_officer_sees_the_alerts_waiting_for_them(officer_b_client, september, officer_b):
    response = officer_b_client.get(reverse("reports:dashboard"))
    tiles = {t.key: t for t in response.context["tiles"]}
    assert tiles["my-alerts"].answer == "1 alert waiting for you to acknowledge, 1 past the target."
    assert "Weapons possession" in response.content.decode()


def test_bright_line_lists_each_override_newest_first_with_labels_and_who(
    coordinator_client, september, school_a, coordinator
):
    """Read as values: the levels' labels, the school and category names, and who overrode it
    as str(user) shows them (full name, else username; none: a dash)."""
    from accounts.models import User

    nameless = User.objects.create_user(username="nameless", role="school_admin")
    unsigned = incident(school_a, coordinator, "theft", at(9, 27), table_level=0, level=2, reason="No one")
    Incident.objects.filter(pk=unsigned.pk).update(overridden_by=None)
    signed = incident(school_a, nameless, "fight", at(9, 29), table_level=2, level=1, reason="Calmed down")
    tiles, _ = tiles_for(coordinator_client)
    rows = tiles["bright-line"].detail.rows
    drugs, bullying = Incident.objects.filter(school__name="Bravo Middle School", overridden_by=coordinator)
    drugs, bullying = sorted((drugs, bullying), key=lambda i: i.occurred_at, reverse=True)
    urls = [reverse("incidents:detail", args=[i.pk]) for i in (signed, unsigned, drugs, bullying)]
    assert [row[0].url for row in rows] == urls
    school, informed, responds = (
        "School handles (SRO not notified)",
        "SRO informed",
        "SRO responds / investigates",
    )
    assert [[row[0].text, *row[1:]] for row in rows] == [
        [
            "Fight without injury on Tue 29 Sep 2026",
            "Alpha High School",
            responds,
            informed,
            "Calmed down",
            "nameless",
        ],
        ["Theft on Sun 27 Sep 2026", "Alpha High School", school, responds, "No one", "—"],
        [
            "Drugs on Fri 25 Sep 2026",
            "Bravo Middle School",
            informed,
            school,
            "Prescription, parent confirmed",
            "Coord",
        ],
        [
            "Discrimination, harassment or bullying (incl. cyberbullying) on Tue 22 Sep 2026",
            "Bravo Middle School",
            school,
            informed,
            "Threat posted online",
            "Coord",
        ],
    ]
