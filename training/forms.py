from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from core.choices import ModelForm
from core.uploads import validate_upload
from officers.models import Officer

from .models import Course, Requirement, Timing, TrainingRecord

CERTIFICATE_SUFFIXES = {".pdf", ".jpg", ".png", ".webp"}
SUFFIXES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
CHOOSE_AGAIN = (
    "Please choose the certificate file again: a browser cannot keep a chosen file "
    "when the form is shown again."
)


def sniff_certificate(upload) -> str:
    """The content type of an uploaded certificate, judged by its content alone (a phone's
    photo may be called anything), through core.uploads. Raises ValidationError with a
    message a person can act on."""
    try:
        return validate_upload(upload, accept=CERTIFICATE_SUFFIXES, by_name=False)
    except forms.ValidationError as exc:
        if exc.code == "empty":
            raise forms.ValidationError(
                f"“{upload.name}” is empty (0 bytes). {CHOOSE_AGAIN}", code="empty"
            ) from None
        if exc.code == "too_large":
            raise forms.ValidationError(
                f"{exc.message} Choose a smaller file (a photo at a lower resolution, or a scan "
                "saved as PDF).",
                code="too_large",
            ) from None
        if exc.code == "wrong_type":
            raise forms.ValidationError(
                f"“{upload.name}” is not a PDF or a photo. Choose a PDF, JPEG, PNG or WebP file.",
                code="wrong_type",
            ) from None
        raise


class TrainingRecordForm(ModelForm):
    """An officer submits (or a coordinator enters) a completed course with its certificate."""

    class Meta:
        model = TrainingRecord
        fields = ["officer", "course", "completed_on", "hours", "provider", "certificate"]
        widgets = {
            "completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "certificate": forms.FileInput(
                attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
            ),
        }
        help_texts = {
            "hours": "Leave empty to use the course's hours.",
            "provider": "Leave empty to use the course's provider.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["course"].queryset = Course.objects.filter(is_active=True)
        self.fields["hours"].required = False
        self.fields["hours"].min_value = 0
        self.fields["hours"].validators.append(MinValueValidator(0, "Hours cannot be negative."))
        self.fields["hours"].widget.attrs.update({"min": "0", "step": "0.5", "inputmode": "decimal"})
        self.fields["provider"].required = False
        limit = filesizeformat(settings.MAX_UPLOAD_BYTES)
        certificate = self.fields["certificate"]
        certificate.label = "Certificate (PDF or photo)"
        certificate.help_text = f"PDF, JPEG, PNG or WebP, up to {limit}. On a phone you can take a photo."
        certificate.widget.attrs["data-max-bytes"] = settings.MAX_UPLOAD_BYTES
        certificate.error_messages["empty"] = f"The chosen file is empty (0 bytes). {CHOOSE_AGAIN}"
        if self.instance.pk:
            certificate.required = False
            certificate.help_text += " Leave empty to keep the current file."
        else:
            certificate.required = True
            certificate.error_messages["required"] = "Choose the certificate file (a PDF or a photo of it)."
        if user.is_coordinator and not self.instance.pk:
            self.fields["officer"].queryset = Officer.objects.visible_to(user).active()
        else:
            del self.fields["officer"]
            if not self.instance.pk:
                self.instance.officer = user.officer_record

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The completion date cannot be in the future.")
        return day

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            self.certificate_type = sniff_certificate(upload)
            upload.name = "certificate" + SUFFIXES[self.certificate_type]
        return upload

    def clean(self):
        cleaned = super().clean()
        course = cleaned.get("course")
        if course:
            if cleaned.get("hours") is None and "hours" not in self.errors:
                cleaned["hours"] = course.hours
            if not cleaned.get("provider"):
                cleaned["provider"] = course.provider
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # model validation: constraints such as one record per course and day
        if self._errors and self.files.get("certificate") and "certificate" not in self._errors:
            # The file itself was fine, but the page comes back with errors and without it.
            self.add_error("certificate", CHOOSE_AGAIN)

    def _get_validation_exclusions(self):
        # The officer is set by the view for an officer's own record; the one-record-per-course-
        # and-day rule must still be checked against it.
        exclusions = super()._get_validation_exclusions()
        if "officer" not in self.fields:
            exclusions.discard("officer")
        return exclusions

    def save(self, commit=True):
        record = super().save(commit=False)
        if getattr(self, "certificate_type", None):
            record.certificate_type = self.certificate_type
        if commit:
            record.save()
        return record


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The officer sees this and can correct the record.",
        error_messages={"required": "Say why the record is rejected, so the officer can correct it."},
    )


class RequirementForm(ModelForm):
    class Meta:
        model = Requirement
        fields = ["course", "timing", "within_days", "notes"]
        widgets = {"timing": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Requirement.objects.exclude(pk=self.instance.pk).values("course")
        self.fields["course"].queryset = Course.objects.filter(is_active=True).exclude(pk__in=taken)
        if self.instance.pk:
            self.fields["course"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("timing") == Timing.WITHIN_DAYS and not cleaned.get("within_days"):
            self.add_error("within_days", "Say how many days an officer has after starting.")
        if cleaned.get("timing") == Timing.BEFORE_START:
            cleaned["within_days"] = None
        return cleaned


class CourseForm(ModelForm):
    class Meta:
        model = Course
        fields = ["name", "provider", "hours", "delivery", "renewal_months", "description", "is_active"]
        widgets = {"delivery": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"is_active": "Offered (inactive courses drop out of the matrix and the record form)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "renewal_months"
        ].help_text = (
            "Empty for a one-time course. Changing it recomputes the expiry of every record of the course."
        )
