"""Small OneRoster CSV sets for the tests, written as a SIS would: 1.1 (role and orgs in
users.csv) or 1.2 (roles.csv)."""

import csv
import datetime
import io
import zipfile

TODAY = datetime.date(2026, 10, 5)


def run(district, files, *, full=True, dry_run=False, by=None):
    """Import `files` into `district` as the tests do (students.services.import_roster)."""
    from students.services import import_roster

    return import_roster(district=district, files=files, full=full, dry_run=dry_run, by=by, source="test")


USERS_11 = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
]
USERS_12 = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "resourceSourcedIds",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
]
ROLES_12 = [
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
]
ORGS = ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"]
DEMOGRAPHICS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
]
ENROLLMENTS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "classSourcedId",
    "schoolSourcedId",
    "userSourcedId",
    "role",
    "primary",
    "beginDate",
    "endDate",
]
PROGRAMS = ["sourcedId", "program", "startDate", "endDate", "stateId"]


def table(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue().encode()


def student(n: int, *, org: str = "org-a", grade: str = "09", **extra) -> dict:
    return {
        "sourcedId": f"stu-{n}",
        "identifier": f"{100000 + n}",
        "givenName": f"Given{n}",
        "familyName": f"Family{n}",
        "grades": grade,
        "org": org,
        "birthDate": "2010-03-04",
        "sex": "female" if n % 2 else "male",
        "white": "true",
        "hispanicOrLatinoEthnicity": "false",
        **extra,
    }


def roster(
    students,
    *,
    version: str = "1.1",
    orgs=(("org-a", "A-100"), ("org-b", "B-200")),
    demographics: bool = True,
    enrollments=None,
    programs=None,
    manifest: bool = True,
) -> dict[str, bytes]:
    """A OneRoster set: `students` as made by student(); each has one school org (`org`)."""
    files = {
        "orgs.csv": table(
            ORGS,
            [{"sourcedId": "district", "name": "District", "type": "district", "identifier": "D"}]
            + [
                {
                    "sourcedId": s,
                    "name": f"School {i}",
                    "type": "school",
                    "identifier": i,
                    "parentSourcedId": "district",
                }
                for s, i in orgs
            ],
        ),
    }
    teacher = {
        "sourcedId": "t-1",
        "givenName": "Tea",
        "familyName": "Cher",
        "identifier": "T1",
        "role": "teacher",
    }
    if version == "1.1":
        users = [
            {**s, "role": "student", "orgSourcedIds": f"district,{s['org']}", "enabledUser": "true"}
            for s in students
        ]
        files["users.csv"] = table(USERS_11, [*users, {**teacher, "orgSourcedIds": "org-a"}])
    else:
        files["users.csv"] = table(USERS_12, [*students, teacher])
        files["roles.csv"] = table(
            ROLES_12,
            [
                {
                    "sourcedId": f"role-{s['sourcedId']}",
                    "userSourcedId": s["sourcedId"],
                    "roleType": "primary",
                    "role": "student",
                    "orgSourcedId": s["org"],
                    "beginDate": s.get("beginDate", ""),
                }
                for s in students
            ]
            + [
                {
                    "sourcedId": "role-t",
                    "userSourcedId": "t-1",
                    "roleType": "primary",
                    "role": "teacher",
                    "orgSourcedId": "org-a",
                }
            ],
        )
    if demographics:
        files["demographics.csv"] = table(DEMOGRAPHICS, students)
    if enrollments is not None:
        files["enrollments.csv"] = table(ENROLLMENTS, enrollments)
    if programs is not None:
        files["sro_programs.csv"] = table(PROGRAMS, programs)
    if manifest:
        rows = [
            {"propertyName": "manifest.version", "value": "1.0"},
            {"propertyName": "oneroster.version", "value": version},
        ]
        rows += [{"propertyName": f"file.{name[:-4]}", "value": "bulk"} for name in files]
        files["manifest.csv"] = table(["propertyName", "value"], rows)
    return files


def as_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
