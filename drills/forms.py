from __future__ import annotations

from django import forms
from django.utils import timezone

from core.choices import ModelForm

from .models import CorrectiveAction, Drill, DrillRequirement, DrillType, SummerSession

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DrillForm(ModelForm):
    class Meta:
        model = Drill
        fields = [
            "drill_type",
            "scheduled_at",
            "conducted_at",
            "duration_minutes",
            "accountability_minutes",
            "sro_present",
            "first_responders_notified",
            "lunch_or_assembly",
            "observations",
            "after_action_notes",
        ]
        widgets = {
            "scheduled_at": DATETIME,
            "conducted_at": DATETIME,
            "observations": forms.Textarea(attrs={"rows": 3}),
            "after_action_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "scheduled_at": "Plan a drill: staff and the SRO get reminders 7 days and 1 day before.",
            "conducted_at": "Fill in once the drill has taken place.",
        }

    def clean(self):
        data = super().clean()
        conducted = data.get("conducted_at")
        if not data.get("scheduled_at") and not conducted and not self.has_error("conducted_at"):
            raise forms.ValidationError("Give a scheduled date and time, a conducted date and time, or both.")
        if conducted:
            if conducted > timezone.now():
                self.add_error("conducted_at", "A drill cannot be logged as conducted in the future.")
            if data.get("duration_minutes") is None:
                self.add_error("duration_minutes", "How long did the drill take? Enter the minutes.")
        return data


class CorrectiveActionForm(ModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["observation", "action", "owner", "due_date"]
        widgets = {"due_date": DATE}


class SummerSessionForm(ModelForm):
    class Meta:
        model = SummerSession
        fields = ["start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Summer school must end on or after its first day.")
        return data


class DrillRequirementForm(ModelForm):
    drill_types = forms.MultipleChoiceField(
        choices=DrillType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to count drills of any type.",
    )

    class Meta:
        model = DrillRequirement
        fields = ["label", "rule", "minimum", "drill_types", "window_start", "deadline", "citation", "order"]
        widgets = {"window_start": DATE, "deadline": DATE}

    def clean(self):
        data = super().clean()
        start, deadline = data.get("window_start"), data.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", "The deadline must be on or after the start of the period.")
        return data
