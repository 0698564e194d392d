from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q
from django.utils import timezone

from core.choices import ModelForm
from core.uploads import validate_upload
from schools.models import School

from .models import ActivityNote, Agency, Agreement, DutyCategory, Officer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgencyForm(ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind", "contact_name", "contact_email", "contact_phone"]


class AgreementForm(ModelForm):
    """The MOU between an agency and one district. A district coordinator's district is fixed
    (`districts` holds only theirs)."""

    class Meta:
        model = Agreement
        fields = [
            "district",
            "effective_on",
            "review_on",
            "pilot_ends_on",
            "district_share_percent",
            "cost_terms",
            "document",
        ]
        widgets = {
            "effective_on": DATE,
            "review_on": DATE,
            "pilot_ends_on": DATE,
            "cost_terms": forms.Textarea(attrs={"rows": 3}),
            "document": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }
        help_texts = {
            "pilot_ends_on": "The pilot costs the district nothing until this day (empty: no pilot).",
            "district_share_percent": "The district's share of the cost once the pilot ends, e.g. 50.",
            "cost_terms": "Anything else, e.g. overtime for events billed to the district.",
            "review_on": "Coordinators are reminded 60 and 14 days before.",
        }

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["district"].empty_label = None

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document or document == self.initial.get("document"):
            return document
        # The same checks as every upload (core.uploads): size, name and content.
        try:
            validate_upload(document, accept={".pdf"})
        except forms.ValidationError as exc:
            if exc.code in ("wrong_name", "wrong_type"):
                raise forms.ValidationError("Upload the agreement as a PDF file.", code=exc.code) from None
            raise
        return document

    def clean(self):
        data = super().clean()
        effective, review = data.get("effective_on"), data.get("review_on")
        if effective and review and review < effective:
            self.add_error("review_on", "The review date must be on or after the effective date.")
        return data


class OfficerForm(ModelForm):
    class Meta:
        model = Officer
        fields = [
            "first_name",
            "last_name",
            "agency",
            "badge_number",
            "rank",
            "email",
            "phone",
            "status",
            "sro_start_date",
            "attire",
            "supervisor",
            "user",
        ]
        widgets = {"sro_start_date": DATE}
        labels = {"user": "Sign-in account", "email": "Contact email", "phone": "Contact phone"}
        help_texts = {"user": "The account this officer signs in with (role: officer)."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Role, User

        # A district coordinator works with the agencies serving their district.
        self.fields["agency"].queryset = Agency.objects.visible_to(user)
        self.fields["supervisor"].queryset = (
            Officer.objects.visible_to(user).exclude(pk=self.instance.pk).for_choices()
        )
        taken = Officer.objects.exclude(pk=self.instance.pk).exclude(user=None).values("user_id")
        self.fields["user"].queryset = User.objects.filter(role=Role.OFFICER).exclude(pk__in=taken)

    def clean(self):
        data = super().clean()
        agency, badge = data.get("agency"), data.get("badge_number")
        if agency and badge:
            clash = Officer.objects.filter(agency=agency, badge_number=badge).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("badge_number", f"{agency} already has an officer with badge {badge}.")
        return data

    def validate_unique(self):
        # The badge clash is reported on the field above, in plain words.
        pass


class ActivityNoteForm(ModelForm):
    class Meta:
        model = ActivityNote
        fields = [
            "date",
            "school",
            "category",
            "topic",
            "minutes",
            "students_contacted",
            "narrative",
            "follow_up",
            "follow_up_date",
        ]
        widgets = {
            "date": DATE,
            "follow_up_date": DATE,
            "narrative": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 1440}),
            "students_contacted": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }
        help_texts = {
            "narrative": "A short summary of what you did. Do not write students' names: none are needed.",
            "minutes": "Time spent, in minutes (e.g. 45).",
            "topic": "Only for classroom teaching: the topic taught.",
        }
        error_messages = {
            "minutes": {"required": "Enter the minutes spent (e.g. 45)."},
            "date": {"required": "Enter the date of the activity."},
            "school": {"required": "Choose the school."},
            "category": {"required": "Choose a duty category."},
        }

    def __init__(self, *args, officer: Officer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.officer = officer
        today = timezone.localdate()
        # Schools of the officer's current assignments (plus the note's own school when editing).
        current = officer.assignments.current_on(today).values("school_id")
        mine = Q(pk__in=current) | Q(pk=self.instance.school_id or 0)
        school = cast(forms.ModelChoiceField, self.fields["school"])
        school.queryset = School.objects.filter(mine).order_by("name")
        school.empty_label = "Choose a school"
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", "Choose a duty category"),
            *DutyCategory.choices,
        ]
        self.fields["students_contacted"].required = False
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("date", today)
            self.initial.setdefault("school", officer.primary_school_on(today))

    def clean_students_contacted(self):
        return self.cleaned_data.get("students_contacted") or 0

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if minutes is not None and not 1 <= minutes <= 1440:
            raise forms.ValidationError("Minutes must be between 1 and 1440 (a whole day).")
        return minutes


class AmendmentForm(ActivityNoteForm):
    reason = forms.CharField(
        label="Reason for the amendment",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="This note is more than 7 days old; the reason is kept in the audit trail.",
        error_messages={"required": "Say why this note is being amended."},
    )
