from django.urls import path

from . import views

app_name = "reports"

# Deliberately no page at /reports/ itself: the navigation marks an entry active by URL prefix,
# so the dashboard and the list of reports must not be prefixes of each other.
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("my-schools/", views.my_schools, name="my_schools"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
    path("all/", views.index, name="index"),
    path("monthly/", views.monthly, name="monthly"),
    path("monthly.pdf", views.monthly_pdf, name="monthly_pdf"),
]
