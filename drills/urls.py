from django.urls import path

from . import views

app_name = "drills"

urlpatterns = [
    path("", views.overview, name="list"),
    path("log/", views.drill_log, name="log"),
    path("schools/<int:pk>/", views.school_drills, name="school"),
    path("schools/<int:school_pk>/new/", views.drill_create, name="create"),
    path("schools/<int:school_pk>/summer/", views.summer_session, name="summer"),
    path("schools/<int:school_pk>/calendar/rotate/", views.feed_rotate, name="feed_rotate"),
    path("calendar/rotate/", views.feed_rotate, name="district_feed_rotate"),
    path("calendar/mine/", views.my_feed_rotate, name="my_feed_rotate"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("<int:pk>/", views.drill_detail, name="detail"),
    path("<int:pk>/edit/", views.drill_edit, name="edit"),
    path("<int:pk>/delete/", views.drill_delete, name="delete"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/done/", views.action_complete, name="action_complete"),
    path("requirements/", views.requirements, name="requirements"),
    path("requirements/setup/", views.requirements_setup, name="requirements_setup"),
    path("requirements/new/", views.requirement_edit, name="requirement_create"),
    path("requirements/<int:pk>/", views.requirement_edit, name="requirement_edit"),
    path("requirements/<int:pk>/delete/", views.requirement_delete, name="requirement_delete"),
]
