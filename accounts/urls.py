from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("locked/", views.locked_accounts, name="locked"),
    path("unlock/", views.unlock_account, name="unlock"),
    path("review/", views.account_review, name="review"),
    path("sso/start/", views.sso_start, name="sso_start"),
    path("sso/callback/", views.sso_callback, name="sso_callback"),
    path("sso/failed/", views.sso_failed, name="sso_failed"),
    path("verify/", views.verify_second_factor, name="verify_second_factor"),
    path("<int:pk>/deactivate/", views.account_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.account_reactivate, name="reactivate"),
]
