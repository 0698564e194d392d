from __future__ import annotations

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.choices import ModelForm, only_choice
from core.uploads import validate_upload
from schools.models import School
from students.models import Student, can_see_student_names
from students.selectors import resolve, students_of

from .models import (
    ALLOWED_ATTACHMENT_TYPES,
    REPORTED_FIELDS,
    Arrest,
    Classification,
    CrdcCollection,
    Incident,
    IncidentCategory,
    IncidentPerson,
    InterventionLevel,
    Location,
    PersonKind,
    PersonRole,
    SafetyPlan,
    SsecMapping,
    Status,
    ThreatAssessment,
    Threshold,
    override_errors,
)

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# Clocks differ a little between a phone and the server.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def check_upload(upload) -> None:
    """An attachment is checked by its name, size and content (core.uploads): a renamed file
    (an .exe called .pdf) and a Word file with macros or a zip bomb inside are turned away."""
    validate_upload(upload, accept=ALLOWED_ATTACHMENT_TYPES)


class IncidentForm(ModelForm):
    level_override = forms.TypedChoiceField(
        label="Intervention level",
        choices=[("", "Apply the threshold table (recommended)"), *InterventionLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Choosing a level overrides the table, the program's written agreement: give a reason.",
    )
    attachment = forms.FileField(
        required=False,
        help_text="Optional: PDF, image, text or Word file, at most 5 MB.",
    )
    # A new one with every blank form: a second POST of the same form lands on the incident
    # the first one logged (incidents.services.report_incident).
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Incident
        fields = [*REPORTED_FIELDS, "level_override", "override_reason"]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            "description": forms.Textarea(attrs={"rows": 5}),
            "override_reason": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "description": {"required": "Describe what happened."},
            "category": {
                "required": "Choose a category.",
                "invalid_choice": "Choose a category from the list.",
            },
            "occurred_at": {"required": "Say when it happened.", "invalid": "Enter a date and time."},
            "location": {"required": "Say where it happened."},
            "school": {"invalid_choice": "Choose one of your schools."},
        }
        help_texts = {
            "category": "Code-of-conduct matters are handled by the school; the SRO is not paged for them.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        schools = user.schools_in_scope().filter(is_active=True)
        self.fields["school"].queryset = schools
        if not self.is_bound:
            # One school in scope: it is chosen already.
            if (school := only_choice(schools)) is not None:
                self.initial.setdefault("school", school)
        self.fields["category"].queryset = IncidentCategory.objects.active()
        self.fields["occurred_at"].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["override_reason"].label = "Reason for overriding the table"
        # Placeholders that say what to do, never "---------".
        self.fields["school"].empty_label = "Choose the school"
        self.fields["category"].empty_label = "Choose what happened"
        self.fields["location"].choices = [("", "Choose where"), *Location.choices]
        if not self.is_bound:
            self.initial["submission_token"] = uuid.uuid4()
            # A report is usually about now: the time starts there (to the minute).
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + CLOCK_SKEW:
            raise ValidationError("This is in the future: enter when it happened.")
        if value.year < 2000:
            raise ValidationError("Enter a date after 2000.")
        return value

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if not value:
            raise ValidationError("Describe what happened.")
        return value

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        errors = override_errors(
            category=data.get("category"),
            level_override=data.get("level_override"),
            override_reason=data.get("override_reason", ""),
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data

    def _post_clean(self):
        # The model's own constraints are checked by the service, which also sets the level.
        pass


class IncidentCorrectionForm(IncidentForm):
    """Correcting a logged incident: the report's fields, and why. People and attachments are
    corrected on their own; the threshold table is applied again to what it now says."""

    reason = forms.CharField(
        label="Why is it corrected?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the correction lowers the intervention level; shown on the timeline.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["attachment"]
        del self.fields["submission_token"]
        incident = self.instance
        if not self.is_bound and incident.is_overridden:
            self.initial["level_override"] = incident.level
        # The incident's own school stays choosable even if the user's scope changed since.
        self.fields["school"].queryset = (
            self.fields["school"].queryset | School.objects.filter(pk=incident.school_id)
        ).distinct()


NULLABLE_BOOL = [("", "Not collected"), ("true", "Yes"), ("false", "No")]


def _nullable_bool(label: str) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False, widget=forms.Select(choices=NULLABLE_BOOL))


class PersonForm(ModelForm):
    """One person involved. A student is found among the school's students (by local ID, or
    by name for those who may see names): their grade, sex, race/ethnicity, date of birth and
    IDEA / 504 / EL status come from the student record, never typed here. A student nobody
    could identify is recorded with the reason; staff and visitors by initials or a staff ID."""

    student_lookup = forms.CharField(
        label="Student: local ID or name",
        required=False,
        max_length=120,
        help_text="Type the student's ID or the start of their name, then pick them from the list.",
    )
    student = forms.ModelChoiceField(
        queryset=Student.objects.none(),
        required=False,
        label="Which student?",
        empty_label="Choose the student",
    )
    referred_to_law_enforcement = _nullable_bool("Referred to law enforcement")

    class Meta:
        model = IncidentPerson
        fields = [
            "kind",
            "role",
            "unidentified_reason",
            "grade",
            "local_id_or_initials",
            "age",
            "referred_to_law_enforcement",
            "arrest",
        ]
        labels = {
            "local_id_or_initials": "Initials or staff ID",
            "grade": "Grade, if known (a student who cannot be identified)",
            "unidentified_reason": "Or, if the student cannot be identified: why",
        }
        help_texts = {"unidentified_reason": "For example: ran off before anyone knew who it was."}
        error_messages = {"role": {"required": "Give this person's role: offender, victim or witness."}}

    def __init__(self, *args, school: School | None = None, names: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.school, self.names = school, names
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [("", "Choose a role"), *PersonRole.choices]
        self.fields["age"].widget.attrs.update({"min": 2, "max": 99})
        self.fields["student_lookup"].widget.attrs.update({"list": "student-options", "autocomplete": "off"})
        if school is not None:
            self._student_field().queryset = students_of(school)
        # The choice appears only when a lookup matched several students (see clean).
        self._student_field().choices = []
        self.candidates: list[Student] = []

    def _student_field(self) -> forms.ModelChoiceField:
        field = self.fields["student"]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    def clean_age(self):
        value = self.cleaned_data.get("age")
        if value is not None and not 2 <= value <= 99:
            raise ValidationError("Enter an age between 2 and 99.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("kind") == PersonKind.STUDENT:
            self._clean_student(data)
        else:
            data["student"], data["unidentified_reason"], data["grade"] = None, "", ""
            if not data.get("local_id_or_initials", "").strip():
                self.add_error("local_id_or_initials", "Give their initials or staff ID (never a full name).")
        # CRDC: every school-related arrest is also a referral to law enforcement.
        if data.get("arrest") == Arrest.SCHOOL_RELATED and data.get("referred_to_law_enforcement") is False:
            self.add_error("referred_to_law_enforcement", "An arrest means the student was referred too.")
        return data

    def _clean_student(self, data: dict) -> None:
        data["local_id_or_initials"] = ""
        student, lookup = data.get("student"), data.get("student_lookup", "")
        if student is None and lookup and self.school is not None:
            student, self.candidates = resolve(school=self.school, text=lookup, names=self.names)
        if student is not None:
            data["student"], data["unidentified_reason"], data["grade"], data["age"] = student, "", "", None
            self._student_field().choices = [(student.pk, student.label(names=self.names))]
            return
        if self.candidates:
            self._student_field().choices = [("", "Choose the student")] + [
                (c.pk, c.label(names=self.names)) for c in self.candidates
            ]
            self.add_error("student", f"{len(self.candidates)} students match “{lookup}”: choose one.")
        elif lookup:
            where = self.school or "the school"
            self.add_error(
                "student_lookup",
                f"No student of {where} has that ID{' or name' if self.names else ''}. "
                "Check it, or say below why the student cannot be identified.",
            )
        elif not data.get("unidentified_reason", "").strip():
            self.add_error(
                "student_lookup",
                "Find the student by local ID"
                f"{' or name' if self.names else ''}, or say why they cannot be identified.",
            )

    def _post_clean(self):
        pass


class BasePersonFormSet(forms.BaseFormSet):
    item_name = "Person"  # the error summary's "Person 2, grade: ..."

    def people(self) -> list[dict]:
        return [
            {k: v for k, v in f.cleaned_data.items() if k != "student_lookup"}
            for f in self.forms
            if f.has_changed() and f.cleaned_data
        ]


# One blank row: "Add another person" (static/js/incident-form.js) adds more, up to max_num.
PersonFormSet: type[BasePersonFormSet] = forms.formset_factory(  # type: ignore[assignment]
    PersonForm, formset=BasePersonFormSet, extra=1, max_num=30, validate_max=True
)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=Status.choices)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when closing: how it was resolved.",
    )

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [c for c in Status.choices if c[0] != incident.status]

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.CLOSED and not (data.get("outcome") or self.incident.outcome).strip():
            self.add_error("outcome", "Say how the incident was resolved before closing it.")
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Attach a file", help_text="PDF, image, text or Word file, at most 5 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class CategoryForm(ModelForm):
    class Meta:
        model = IncidentCategory
        fields = ["name", "code", "is_code_of_conduct", "active", "sort_order"]
        help_texts = {"code": "A short identifier: letters, digits and underscores."}


class ThresholdForm(ModelForm):
    class Meta:
        model = Threshold
        fields = ["level", "response_minutes"]

    @property
    def summary_label(self) -> str:
        """The row as the error summary names it: "Weapons possession, high"."""
        return f"{self.instance.category.name}, {self.instance.get_severity_display().lower()}"


ThresholdFormSet = forms.modelformset_factory(Threshold, form=ThresholdForm, extra=0)


class ThreatAssessmentForm(ModelForm):
    # Longer than an ID: a name typed to find the student (see clean).
    student = forms.CharField(
        label="Student: local ID or name",
        max_length=120,
        help_text="As in the student information system; names only if you may see them.",
        error_messages={"required": "Give the student's local ID (or name)."},
    )

    class Meta:
        model = ThreatAssessment
        fields = [
            "school",
            "student",
            "reported_on",
            "threat",
            "weapon_involved",
            "team_administrator",
            "team_counselor",
            "team_sro",
            "team_teacher",
        ]
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "threat": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"threat": {"required": "Write down what the student said or did."}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = can_see_student_names(user)
        schools = School.objects.filter(pk__in=user.schools_in_scope().values("pk"))
        self.fields["school"].queryset = schools
        if not self.is_bound:
            self.initial.setdefault("reported_on", timezone.localdate())
            if (school := only_choice(schools)) is not None:
                self.initial.setdefault("school", school)

    def clean_reported_on(self):
        value = self.cleaned_data["reported_on"]
        if value > timezone.localdate():
            raise ValidationError("This is in the future: enter when the threat was reported.")
        return value

    def clean_threat(self):
        value = self.cleaned_data["threat"].strip()
        if not value:
            raise ValidationError("Write down what the student said or did.")
        return value

    def clean(self):
        data = super().clean()
        school, text = data.get("school"), data.get("student", "")
        if school is None or not text:
            return data
        # The student is their record where the school has student records; a school whose
        # district has not imported any yet keeps the local ID or initials typed.
        if not students_of(school).exists():
            # Kept as typed, and shown as typed to the SRO consulted on a substantive threat,
            # who sees students by local ID only (students.models.can_see_student_names): a
            # full name, words with a space between them, is refused.
            if len(text) > 40 or len(text.split()) > 1:
                self.add_error(
                    "student",
                    f"{school} has no student records yet: give the local ID or initials, not a name "
                    "(at most 40 characters); the SRO consulted on the threat sees what is typed here.",
                )
            return data
        student, candidates = resolve(school=school, text=text, names=self.names)
        if student is not None:
            self.instance.student_record = student
            data["student"] = student.local_id
        elif candidates:
            found = "; ".join(c.label(names=self.names) for c in candidates)
            self.add_error("student", f"{len(candidates)} students match: {found}. Type the one you mean.")
        else:
            what = "ID or name" if self.names else "ID"
            self.add_error("student", f"No student of {school} has that {what}.")
        return data


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(
        choices=[c for c in Classification.choices if c[0] != Classification.PENDING],
        widget=forms.RadioSelect,
        help_text="When in doubt, treat the threat as substantive.",
    )
    summary = forms.CharField(
        label="Evaluation summary", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionDoneForm(forms.Form):
    notes = forms.CharField(required=False, max_length=2000, label="Notes")


class SafetyPlanForm(ModelForm):
    class Meta:
        model = SafetyPlan
        fields = ["plan", "implemented_on", "next_review_on", "monitoring_notes"]
        widgets = {
            "plan": forms.Textarea(attrs={"rows": 4}),
            "implemented_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "monitoring_notes": forms.Textarea(attrs={"rows": 2}),
        }


class ReportYearForm(forms.Form):
    year = forms.IntegerField(
        label="School year starting in", min_value=2000, max_value=2100, help_text="e.g. 2025 for 2025–26"
    )


class CrdcCollectionForm(ModelForm):
    """What the district collects in a school year (the CRDC's 0 versus blank)."""

    class Meta:
        model = CrdcCollection
        fields = ["referrals", "arrests", "race_sex", "disability", "english_learner"]
        help_texts = {
            "referrals": "Referrals of students to law enforcement (the SRO included) are recorded.",
            "arrests": "School-related arrests of students are recorded.",
            "race_sex": "Each student's sex and race/ethnicity are recorded.",
            "disability": "Each student's IDEA and Section 504 status are recorded.",
            "english_learner": "Each student's English-learner status is recorded.",
        }


class SsecMappingForm(ModelForm):
    """Where a category's incidents are reported to NYSED, from a school year on."""

    class Meta:
        model = SsecMapping
        fields = ["category", "from_year", "ssec", "split", "split_to", "note"]
        help_texts = {
            "from_year": "e.g. 2026 for 2026–27: that year and later ones; earlier years stay as reported.",
            "ssec": "Empty: this category is not reported to NYSED.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = IncidentCategory.objects.filter(is_code_of_conduct=False)
        self.fields["from_year"].widget.attrs.update({"min": 2000, "max": 2100})

    def clean(self):
        data = super().clean()
        if data.get("split") and not data.get("split_to"):
            self.add_error("split_to", "Choose the second NYSED category, or no split.")
        if data.get("split_to") and not data.get("split"):
            self.add_error("split", "Say when the second NYSED category applies.")
        return data

    def validate_unique(self):
        pass  # a mapping for the same category and year is replaced (services.save_ssec_mapping)
