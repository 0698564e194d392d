from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("locked/", views.locked_accounts, name="locked"),
    path("unlock/", views.unlock_account, name="unlock"),
]
