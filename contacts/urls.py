from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_create, name="create"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/edit/", views.contact_edit, name="edit"),
    path("equity/", views.equity, name="equity"),
    path("equity/publish/", views.equity_publish, name="equity_publish"),
    path("equity/publish.pdf", views.equity_pdf, name="equity_pdf"),
    path("changes/", views.change_list, name="change_list"),
    path("changes/<int:pk>/", views.evaluation, name="evaluation"),
]
