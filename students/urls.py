from django.urls import path

from . import views

app_name = "students"

urlpatterns: list = [
    path("search/", views.student_search, name="search"),
    path("<int:pk>/", views.student_detail, name="detail"),
]
