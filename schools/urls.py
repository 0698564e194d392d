from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="list"),
    path("new/", views.school_form, name="create"),
    path("<int:pk>/", views.school_detail, name="detail"),
    path("<int:pk>/edit/", views.school_form, name="update"),
    path("<int:pk>/delete/", views.school_delete, name="delete"),
    path("coverage/", views.coverage, name="coverage"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/new/", views.assignment_form, name="assignment_create"),
    path("assignments/<int:pk>/edit/", views.assignment_form, name="assignment_update"),
    path("districts/", views.district_list, name="district_list"),
    path("districts/new/", views.district_form, name="district_create"),
    path("districts/<int:pk>/edit/", views.district_form, name="district_update"),
]
