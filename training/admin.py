from django.contrib import admin

from .models import Course, Requirement, TrainingRecord


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "hours", "delivery", "renewal_months", "is_active"]
    list_filter = ["delivery", "is_active"]
    search_fields = ["name", "provider"]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["course", "timing", "within_days"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["officer", "course", "completed_on", "expires_on", "status"]
    list_filter = ["status", "course"]
    search_fields = ["officer__last_name", "course__name"]
    raw_id_fields = ["officer", "submitted_by", "verified_by"]
    # Verification happens in the app (who verified, never one's own record), not here.
    readonly_fields = [
        "expires_on",
        "status",
        "verified_by",
        "verified_at",
        "rejection_reason",
        "certificate_type",
    ]
