from django.contrib import admin

from .models import Assignment, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "enrollment", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "principal"]
    filter_horizontal = ["administrators"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "school", "kind", "start_date", "end_date"]
    list_filter = ["kind", "school"]
    list_select_related = ["officer", "school"]
    raw_id_fields = ["officer"]
