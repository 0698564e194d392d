"""Templates are maintained here (the app's pages build surveys from them). Responses and
invitation tokens are deliberately not shown."""

from django.contrib import admin

from .models import Question, SurveyTemplate


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name"]
    inlines = [QuestionInline]
