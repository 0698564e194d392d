from django import forms
from django.db.models import Q

from accounts.models import Role, User
from core.choices import ModelChoiceField, ModelForm
from officers.models import Officer

from .models import WEEKDAYS, Assignment, District, School


class DistrictForm(ModelForm):
    class Meta:
        model = District
        fields = ["name", "kind", "nces_id", "state_code"]
        help_texts = {
            "nces_id": "The 7-digit LEA ID of the NCES Common Core of Data (the CRDC reports by it).",
            "state_code": "In New York, the district's 12-digit BEDS code.",
        }


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchoolForm(ModelForm):
    class Meta:
        model = School
        fields = [
            "name",
            "district",
            "level",
            "address",
            "principal",
            "main_contact",
            "phone",
            "email",
            "enrollment",
            "sis_identifier",
            "administrators",
            "joined_program_on",
            "is_active",
        ]
        widgets = {"joined_program_on": DATE, "administrators": forms.CheckboxSelectMultiple}
        labels = {"joined_program_on": "Joined the SRO program on", "is_active": "In the program"}
        help_texts = {
            "administrators": "Users with the school administrator role who see this school's records."
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        admins = User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True)
        if not user.is_program_coordinator:
            # Administrators of another district's schools are not this coordinator's to see.
            mine = Q(administered_schools__district=user.district_id) | Q(administered_schools=None)
            admins = admins.filter(pk__in=User.objects.filter(mine).values("pk"))
        self.fields["administrators"].queryset = admins
        # A district coordinator's schools stay in their district.
        self.fields["district"] = ModelChoiceField(
            queryset=District.objects.visible_to(user)
            if user.is_program_coordinator
            else District.objects.filter(pk=user.district_id),
            empty_label=None,
            initial=self.instance.district_id if self.instance.pk else None,
        )


class AssignmentForm(ModelForm):
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        officers = Officer.objects.visible_to(user).for_choices()
        if not self.instance.pk:
            officers = officers.active()
        self.fields["officer"].queryset = officers
        self.fields["officer"].error_messages["invalid_choice"] = (
            "Choose an active officer: inactive officers get no new assignments."
        )
        in_scope = School.objects.visible_to(user)
        self.fields["school"].queryset = in_scope.filter(is_active=True) | in_scope.filter(
            pk=self.instance.school_id or 0
        )
        self.initial["weekdays"] = list(self.instance.weekdays or "12345")

    def clean_weekdays(self) -> str:
        return "".join(sorted(self.cleaned_data["weekdays"]))
