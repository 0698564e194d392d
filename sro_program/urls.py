from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("schools/", include("schools.urls")),
    path("officers/", include("officers.urls")),
    path("incidents/", include("incidents.urls")),
    path("training/", include("training.urls")),
    path("drills/", include("drills.urls")),
    path("surveys/", include("surveys.urls")),
    path("reports/", include("reports.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("core.urls")),
]

handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
