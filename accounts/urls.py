from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("locked/", views.locked_accounts, name="locked"),
    path("unlock/", views.unlock_account, name="unlock"),
    path("review/", views.account_review, name="review"),
    path("<int:pk>/deactivate/", views.account_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.account_reactivate, name="reactivate"),
]
