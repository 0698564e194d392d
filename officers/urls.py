from django.urls import path

from . import views

app_name = "officers"

urlpatterns = [
    path("", views.officer_list, name="list"),
    path("<int:pk>/", views.officer_detail, name="detail"),
]
