from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("healthz/deliveries", views.health_deliveries, name="health_deliveries"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_mark_all_read, name="notifications_read_all"),
    path("audit/", views.audit_log, name="audit_log"),
]
