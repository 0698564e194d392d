from django.contrib import admin

from .models import Drill, DrillRequirement, SummerSession


@admin.register(DrillRequirement)
class DrillRequirementAdmin(admin.ModelAdmin):
    list_display = ["label", "school_year", "rule", "minimum", "window_start", "deadline"]
    list_filter = ["school_year", "rule"]


@admin.register(Drill)
class DrillAdmin(admin.ModelAdmin):
    list_display = ["school", "drill_type", "scheduled_at", "conducted_at"]
    list_filter = ["drill_type", "school"]
    list_select_related = ["school"]


@admin.register(SummerSession)
class SummerSessionAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "start_date", "end_date"]
