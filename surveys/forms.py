from __future__ import annotations

from typing import cast

from django import forms

from core.choices import ModelForm, ModelMultipleChoiceField
from core.uploads import validate_upload
from schools.models import District, School

from .models import LIKERT_CHOICES, Audience, Question, QuestionKind, Survey

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(ModelForm):
    schools = ModelMultipleChoiceField(
        queryset=School.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )
    audiences = forms.MultipleChoiceField(choices=Audience.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Survey
        fields = [
            "template",
            "title",
            "introduction",
            "district",
            "schools",
            "audiences",
            "opens_on",
            "closes_on",
        ]
        widgets = {"opens_on": DATE, "closes_on": DATE, "introduction": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = cast(forms.ModelMultipleChoiceField, self.fields["schools"])
        schools.queryset = School.objects.visible_to(user).filter(is_active=True)
        district = cast(forms.ModelChoiceField, self.fields["district"])
        if user.is_program_coordinator:
            district.queryset = District.objects.all()
            district.empty_label = "The whole program (schools of several districts)"
            district.help_text = "The district whose coordinator runs it and sees its results."
        else:
            district.queryset = District.objects.filter(pk=user.district_id)
            district.empty_label = None
            district.required = True

    def clean(self):
        data = super().clean()
        district, schools = data.get("district"), data.get("schools")
        if district and schools:
            outside = [school.name for school in schools if school.district_id != district.pk]
            if outside:
                self.add_error("schools", f"Not in {district}: {', '.join(outside)}.")
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The survey must close on or after the day it opens.")
        return data


class InvitationUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="One row per person, with an “email” column; optional “school” and “audience” columns.",
    )
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label="Use the file's “school” column"
    )
    audience = forms.ChoiceField(required=False)

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = survey.schools.all()
        names = dict(Audience.choices)
        audience = cast(forms.ChoiceField, self.fields["audience"])
        audience.choices = [("", "Use the file's “audience” column")] + [
            (a, names[a]) for a in survey.audiences
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            validate_upload(upload, accept={".csv", ".txt"})
        except forms.ValidationError as exc:
            if exc.code == "wrong_name":
                raise forms.ValidationError("Upload a .csv file.", code=exc.code) from None
            if exc.code == "wrong_type":
                raise forms.ValidationError(
                    "The file is not UTF-8 text. Save it as CSV (UTF-8) and try again.", code=exc.code
                ) from None
            raise
        return upload


class AnswerForm(forms.Form):
    """One field per question of the survey's template: `q<id>`."""

    def __init__(self, questions: list[Question], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            field: forms.Field
            if question.kind == QuestionKind.LIKERT:
                field = forms.TypedChoiceField(
                    label=question.text,
                    choices=LIKERT_CHOICES,
                    coerce=int,
                    required=question.required,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Please choose an answer to this question."},
                )
            else:
                field = forms.CharField(
                    label=question.text,
                    required=question.required,
                    max_length=3000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={"required": "Please answer this question."},
                )
            self.fields[question.field_name] = field

    def answers(self) -> dict:
        out = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.field_name)
            if value not in (None, ""):
                out[str(question.pk)] = value
        return out
