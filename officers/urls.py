from django.urls import path

from . import views

app_name = "officers"

urlpatterns = [
    path("", views.officer_list, name="list"),
    path("new/", views.officer_form, name="create"),
    path("<int:pk>/", views.officer_detail, name="detail"),
    path("<int:pk>/edit/", views.officer_form, name="update"),
    path("<int:pk>/deactivate/", views.officer_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.officer_reactivate, name="reactivate"),
    path("<int:pk>/week/", views.officer_week, name="week"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_form, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_form, name="agency_update"),
    path("agencies/<int:pk>/delete/", views.agency_delete, name="agency_delete"),
    path("agencies/<int:agency_pk>/agreements/new/", views.agreement_form, name="agreement_create"),
    path("agreements/<int:pk>/edit/", views.agreement_form, name="agreement_update"),
    path("agreements/<int:pk>/delete/", views.agreement_delete, name="agreement_delete"),
    path("agreements/<int:pk>/mou.pdf", views.agreement_document, name="agreement_document"),
    path("my-week/", views.my_week, name="my_week"),
    path("notes/", views.note_list, name="note_list"),
    path("notes/export.csv", views.note_export, name="note_export"),
    path("notes/new/", views.note_create, name="note_create"),
    path("notes/<int:pk>/", views.note_detail, name="note_detail"),
    path("notes/<int:pk>/edit/", views.note_update, name="note_update"),
    path("notes/<int:pk>/amend/", views.note_amend, name="note_amend"),
    path("notes/<int:pk>/follow-up-done/", views.note_follow_up_done, name="note_follow_up_done"),
]
