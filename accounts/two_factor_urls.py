"""django-two-factor-auth's pages under /accounts/, in its own `two_factor` namespace (its
views and templates reverse these names). Sign-in itself is `login` (sro_program.urls);
`two_factor:login` is the same page under the name the library uses."""

from django.urls import path
from two_factor import views

from .views import LoginView

app_name = "two_factor"

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("two-factor/", views.ProfileView.as_view(), name="profile"),
    path("two-factor/setup/", views.SetupView.as_view(), name="setup"),
    path("two-factor/qrcode/", views.QRGeneratorView.as_view(), name="qr"),
    path("two-factor/setup/complete/", views.SetupCompleteView.as_view(), name="setup_complete"),
    path("two-factor/backup-codes/", views.BackupTokensView.as_view(), name="backup_tokens"),
    path("two-factor/disable/", views.DisableView.as_view(), name="disable"),
]
