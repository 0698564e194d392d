from __future__ import annotations

from django import forms
from django.utils.functional import cached_property

from core.choices import ModelChoiceField, ModelForm, only_choice
from incidents.models import Incident
from officers.models import Officer
from schools.models import School
from students.models import Student

from . import selectors
from .models import PERSON_KINDS, ChangeKind, ContactKind, PoliceContact

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _local(attrs: dict | None = None) -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local", **(attrs or {})}, format=DATETIME_LOCAL)


class IncidentNumberField(forms.ModelChoiceField):
    """An incident typed by its number ("1234" or "#1234"), looked up among the queryset's: a
    choice list of every incident in scope runs to thousands of options for a coordinator."""

    default_error_messages = {"invalid_choice": "No incident with that number at your schools."}

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 10})
        )
        super().__init__(queryset, empty_label=None, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("#").strip()
        return super().to_python(value)


class ContactForm(ModelForm):
    """One short form for a phone: the student by local ID only (never a name: FERPA's
    minimum necessary), what happened, and whether a parent was told."""

    student_id = forms.CharField(
        label="Student's local ID",
        max_length=40,
        required=False,
        help_text="Leave empty only if the student could not be identified, and say why below.",
    )

    class Meta:
        model = PoliceContact
        fields = [
            "school",
            "occurred_at",
            "kind",
            "force_type",
            "initiated_by",
            "basis",
            "incident",
            "officer",
            "parent_notified",
            "parent_notified_at",
            "outcome",
            "unidentified_reason",
        ]
        widgets = {
            "occurred_at": _local(),
            "parent_notified_at": _local(),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "kind": "A referral to law enforcement or an arrest is recorded on a person of its incident.",
            "force_type": "For a use of force only.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        schools = user.schools_in_scope().order_by("name")
        self.fields["school"].queryset = schools
        self.fields["incident"] = IncidentNumberField(
            queryset=Incident.objects.visible_to(user),
            required=False,
            label="Incident number",
            help_text="The number on the incident's page; the latest at your schools are suggested.",
        )
        self.fields["incident"].widget.attrs["list"] = "recent-incidents"
        self.fields["initiated_by"].required = True
        officer = user.officer_record
        if user.is_officer:
            # An officer records their own contacts.
            del self.fields["officer"]
        else:
            self.fields["officer"].queryset = (
                Officer.objects.filter(assignments__school__in=schools)
                .for_choices()
                .distinct()
                # Namesakes (two Jesse Brennans) in a fixed order.
                .order_by("last_name", "first_name", "pk")
            )
        self.officer = officer if user.is_officer else None
        if self.instance.pk:
            self.fields["student_id"].initial = (
                self.instance.student.local_id if self.instance.student else ""
            )
            if self.instance.from_incident_person:
                # The incident person decides these: corrected on the incident.
                for name in ("school", "kind", "incident", "student_id", "unidentified_reason"):
                    self.fields[name].disabled = True
        else:
            self.fields["school"].initial = only_choice(schools)

    @cached_property
    def recent_incidents(self) -> list[tuple[int, str]]:
        """The suggestions under the incident number (read when the form is drawn)."""
        return selectors.recent_incidents(self.user)

    def clean(self):
        data = super().clean()
        school: School | None = data.get("school")
        local_id = (data.get("student_id") or "").strip()
        data["student"] = None
        if self.instance.pk and self.instance.from_incident_person:
            data["student"] = self.instance.student
            return data
        if local_id and school is not None:
            student = (
                Student.objects.visible_to(self.user)
                .filter(district_id=school.district_id, local_id=local_id)
                .first()
            )
            if student is None:
                self.add_error("student_id", "No student with that local ID at your schools.")
            data["student"] = student
        elif not local_id and not (data.get("unidentified_reason") or "").strip():
            self.add_error("student_id", "Give the student's local ID, or say why they are not identified.")
        incident = data.get("incident")
        if incident is not None and school is not None and incident.school_id != school.pk:
            self.add_error("incident", "That incident happened at another school.")
        if data.get("kind") in PERSON_KINDS and incident is None:
            self.add_error("incident", "A referral to law enforcement or an arrest belongs to an incident.")
        if data.get("kind") == ContactKind.USE_OF_FORCE and not data.get("force_type"):
            self.add_error("force_type", "Say which type of force was used.")
        if data.get("parent_notified") and not data.get("parent_notified_at"):
            self.add_error("parent_notified_at", "Say when the parent or guardian was notified.")
        return data


class EquityFilterForm(forms.Form):
    year = forms.IntegerField(label="School year starting in", min_value=2000, max_value=2100)
    roster_on = forms.DateField(
        label="Roster date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Students enrolled on this day are the denominators. Default: October 1.",
    )
    school = ModelChoiceField(queryset=School.objects.none(), required=False, empty_label="All my schools")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = user.schools_in_scope().order_by("name")


class ProgramChangeForm(forms.Form):
    kind = forms.ChoiceField(choices=ChangeKind.choices)
    effective_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = user.schools_in_scope().select_related("district").order_by("name")

    def clean_schools(self):
        schools = list(self.cleaned_data["schools"])
        if len({s.district_id for s in schools}) > 1:
            raise forms.ValidationError("A change applies to the schools of one district.")
        return schools
