from django import forms
from django.conf import settings

from core.uploads import validate_upload
from schools.models import District


class RosterUploadForm(forms.Form):
    """A zip of OneRoster CSV files for a district: program coordinators choose the district,
    a district coordinator imports their own."""

    district = forms.ModelChoiceField(queryset=District.objects.all(), empty_label=None)
    file = forms.FileField(
        label="OneRoster files (zip)",
        help_text="A .zip of the SIS's OneRoster 1.1 or 1.2 CSV export: orgs.csv, users.csv (and roles.csv "
        "for 1.2), demographics.csv, enrollments.csv if there is one, and sro_programs.csv for IDEA, "
        "Section 504 and English-learner periods.",
    )
    partial = forms.BooleanField(
        label="Partial import: leave the students who are not in the files as they are",
        help_text="Unticked, students missing from the files are marked inactive (never deleted).",
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_program_coordinator:
            del self.fields["district"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            validate_upload(upload, accept={".zip"}, max_bytes=settings.ROSTER_MAX_UPLOAD_BYTES)
        except forms.ValidationError as exc:
            if exc.code in ("wrong_name", "wrong_type"):
                raise forms.ValidationError(
                    "Upload a .zip of the OneRoster CSV files.", code=exc.code
                ) from None
            raise
        return upload
