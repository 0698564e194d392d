from django.contrib import admin

from .models import ActivityNote, Agency, Agreement, NoteAmendment, Officer


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    fields = ["district", "effective_on", "review_on", "pilot_ends_on", "district_share_percent"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name", "contact_name"]
    inlines = [AgreementInline]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "agency", "badge_number", "status"]
    list_filter = ["status", "agency"]
    search_fields = ["last_name", "first_name", "badge_number"]
    list_select_related = ["agency"]
    raw_id_fields = ["user", "supervisor"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Officers are deactivated, never deleted.
        return False


@admin.register(ActivityNote)
class ActivityNoteAdmin(admin.ModelAdmin):
    list_display = ["date", "officer", "school", "category", "minutes"]
    list_filter = ["category"]
    date_hierarchy = "date"
    list_select_related = ["officer", "school"]
    raw_id_fields = ["officer", "school"]
    show_full_result_count = False  # the table holds millions of rows in a large district


@admin.register(NoteAmendment)
class NoteAmendmentAdmin(admin.ModelAdmin):
    list_display = ["note", "amended_by", "amended_at"]
    raw_id_fields = ["note", "amended_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
