from django import forms

from accounts.models import Role, User
from officers.models import Officer

from .models import WEEKDAYS, Assignment, School

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = [
            "name",
            "level",
            "address",
            "principal",
            "main_contact",
            "phone",
            "email",
            "enrollment",
            "administrators",
            "joined_program_on",
            "is_active",
        ]
        widgets = {"joined_program_on": DATE, "administrators": forms.CheckboxSelectMultiple}
        labels = {"joined_program_on": "Joined the SRO program on", "is_active": "In the program"}
        help_texts = {
            "administrators": "Users with the school administrator role who see this school's records."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administrators"].queryset = User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True)


class AssignmentForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label="Days of the week",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day of the week."},
    )

    class Meta:
        model = Assignment
        fields = ["officer", "school", "kind", "start_date", "end_date", "weekdays", "notes"]
        widgets = {"start_date": DATE, "end_date": DATE}
        help_texts = {"end_date": "Leave empty for an open-ended assignment."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officers = Officer.objects.select_related("agency")
        if not self.instance.pk:
            officers = officers.active()
        self.fields["officer"].queryset = officers
        self.fields["officer"].error_messages["invalid_choice"] = (
            "Choose an active officer: inactive officers get no new assignments."
        )
        self.fields["school"].queryset = School.objects.filter(is_active=True) | School.objects.filter(
            pk=self.instance.school_id or 0
        )
        self.initial["weekdays"] = list(self.instance.weekdays or "12345")

    def clean_weekdays(self) -> str:
        return "".join(sorted(self.cleaned_data["weekdays"]))
