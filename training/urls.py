from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("compliance/", views.matrix, name="matrix"),
    path("compliance.csv", views.matrix_csv, name="matrix_csv"),
    path("hours/", views.hours, name="hours"),
    path("me/", views.my_training, name="my_training"),
    path("officers/<int:pk>/", views.officer_training, name="officer"),
    path("records/", views.record_list, name="record_list"),
    path("records.csv", views.record_csv, name="record_csv"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/verify/", views.record_verify, name="record_verify"),
    path("records/<int:pk>/reject/", views.record_reject, name="record_reject"),
    path("records/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("courses/new/", views.course_edit, name="course_create"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("requirements/", views.requirement_list, name="requirement_list"),
    path("requirements/new/", views.requirement_edit, name="requirement_create"),
    path("requirements/<int:pk>/edit/", views.requirement_edit, name="requirement_edit"),
    path("requirements/<int:pk>/delete/", views.requirement_delete, name="requirement_delete"),
]
