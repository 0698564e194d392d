from django.contrib import admin

from .models import Assignment, District, School


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "nces_id", "state_code"]
    search_fields = ["name", "nces_id", "state_code"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "level", "enrollment", "is_active"]
    list_filter = ["district", "level", "is_active"]
    search_fields = ["name", "principal"]
    filter_horizontal = ["administrators"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "school", "kind", "start_date", "end_date"]
    list_filter = ["kind", "school"]
    list_select_related = ["officer", "school"]
    raw_id_fields = ["officer"]
