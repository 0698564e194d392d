from django.urls import path

from . import views

app_name = "students"

urlpatterns: list = [
    path("search/", views.student_search, name="search"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
]
