from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/invitations/", views.invitations_upload, name="upload"),
    path("<int:pk>/launch/", views.survey_launch, name="launch"),
    path("<int:pk>/results/", views.survey_results_view, name="results"),
    # Public: respondents do not sign in.
    path("r/<str:token>/", views.answer, name="answer"),
    path("s/<str:token>/", views.answer_link, name="answer_link"),
    path("thanks/", views.thanks, name="thanks"),
]
