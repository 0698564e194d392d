from django.urls import path

from . import views

app_name = "students"

urlpatterns = [
    path("search/", views.student_search, name="search"),
    path("unlinked/", views.unlinked, name="unlinked"),
    path("unlinked/<int:pk>/link/", views.link, name="link"),
    path("unlinked/link-suggested/", views.link_suggested, name="link_suggested"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("<int:pk>/", views.student_detail, name="detail"),
]
