import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.permissions import coordinator_required
from core.csv_export import csv_response
from core.queries import count_of

from . import services
from .filters import SurveyFilter
from .forms import AnswerForm, InvitationUploadForm, SurveyForm
from .models import Audience, Invitation, Response, Survey
from .selectors import MIN_GROUP, survey_results

LINK_COOKIE_SALT = "surveys.link-answered"


def get_survey(request, pk: int) -> Survey:
    """A survey the coordinator may see (a district coordinator: their district's); else 404."""
    return get_object_or_404(Survey.objects.visible_to(request.user).select_related("template"), pk=pk)


@coordinator_required
def survey_list(request):
    surveys = (
        Survey.objects.visible_to(request.user)
        .select_related("template", "district")
        .order_by("-opens_on", "-pk")
        .annotate(
            n_responses=count_of(Response.objects.all(), "survey"),
            n_invited=count_of(Invitation.objects.all(), "survey"),
        )
    )
    survey_filter = SurveyFilter(request.GET, queryset=surveys, user=request.user)
    page = Paginator(survey_filter.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/survey_list.html",
        {"filter": survey_filter, "page_obj": page, "today": timezone.localdate()},
    )


@coordinator_required
def survey_create(request):
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        survey = form.save(commit=False)
        survey.created_by = request.user
        survey.save()
        form.save_m2m()
        messages.success(request, "Draft saved. Add invitations, then launch it.")
        return redirect(survey)
    return render(request, "surveys/survey_form.html", {"form": form})


@coordinator_required
def survey_edit(request, pk: int):
    survey = get_survey(request, pk)
    if survey.launched_at:
        messages.error(request, "A launched survey cannot be changed.")
        return redirect(survey)
    form = SurveyForm(request.POST or None, instance=survey, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Draft saved.")
        return redirect(survey)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@coordinator_required
def survey_detail(request, pk: int):
    survey = get_survey(request, pk)
    stats = survey.invitations.aggregate(
        invited=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(used_at__isnull=False)),
    )
    context = {
        "survey": survey,
        "stats": stats,
        "responses": survey.responses.count(),
        "links": survey.links.select_related("school"),
        "upload_form": InvitationUploadForm(survey=survey),
        "status": survey.status(),
        "questions": survey.template.questions.all(),
    }
    return render(request, "surveys/survey_detail.html", context)


@require_POST
@coordinator_required
def invitations_upload(request, pk: int):
    survey = get_survey(request, pk)
    form = InvitationUploadForm(request.POST, request.FILES, survey=survey)
    report = None
    if form.is_valid():
        report = services.import_invitations(
            survey=survey,
            data=form.cleaned_data["file"].read(),
            default_school=form.cleaned_data["school"],
            default_audience=form.cleaned_data["audience"] or None,
        )
        # An open survey's new invitees are invited at once (written to the delivery ledger).
        services.send_invitations(survey_id=survey.pk, today=timezone.localdate())
    return render(request, "surveys/upload_result.html", {"survey": survey, "form": form, "report": report})


@coordinator_required
def survey_launch(request, pk: int):
    survey = get_survey(request, pk)
    if survey.launched_at:
        messages.info(request, "This survey is already launched.")
        return redirect(survey)
    if request.method == "POST":
        services.launch_survey(survey=survey)
        messages.success(request, "Survey launched: invitations go out on its opening day.")
        return redirect(survey)
    return render(
        request,
        "surveys/survey_confirm_launch.html",
        {"survey": survey, "invited": survey.invitations.count()},
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@coordinator_required
def survey_results_view(request, pk: int):
    survey = get_survey(request, pk)
    school_id = _int(request.GET.get("school"))
    audience = request.GET.get("audience") if request.GET.get("audience") in survey.audiences else None
    results = survey_results(survey, school_id=school_id, audience=audience)
    if request.GET.get("format") == "csv":
        return _results_csv(survey, results)
    chart = {
        "topics": [q.question.topic for q in results.questions],
        "series": [
            {"label": label, "percents": [q.counts[i][3] for q in results.questions]}
            for i, (_, label) in enumerate(_labels())
        ],
    }
    context = {
        "min_group": MIN_GROUP,
        "chart": chart,
        "survey": survey,
        "results": results,
        "schools": results.schools,
        "audiences": [(a, dict(Audience.choices)[a]) for a in survey.audiences],
        "school_id": school_id,
        "audience": audience,
    }
    return render(request, "surveys/results.html", context)


def _results_csv(survey, results):
    topics = [q.topic for q in results.likert]

    def rows():
        yield (
            ["question", "responses", "mean", "previous mean", "change"] + [label for _, label in _labels()]
        )
        for q in results.questions:
            yield (
                [q.question.topic, q.n, q.mean, q.previous_mean, q.change]
                + [count for _, _, count, _ in q.counts]
            )
        yield ([])
        yield (["group", "name", "responses", "invited", "answered", "response rate %"] + topics)
        for kind, group in [
            ("school", results.by_school),
            ("audience", results.by_audience),
            ("officer", results.by_officer),
        ]:
            for row in group:
                yield ([kind, row.label, row.responses, row.invited, row.answered, row.rate] + row.means)
        yield ([])
        yield (["shareable link: school", "audience", "answers through the link"])
        for school_name, audience_label, answers in results.links:
            yield ([school_name, audience_label, answers])
        # The same comments as the page: unlabelled or withheld for groups under MIN_GROUP.
        yield ([])
        yield (["comment", "audience", "school"])
        for audience_label, school_name, text in results.comments:
            yield ([text, audience_label, school_name])
        if results.withheld_comments:
            yield (
                [f"{results.withheld_comments} comment(s) from groups under {MIN_GROUP} responses withheld"]
            )

    return csv_response(rows(), f"survey-{survey.pk}-results.csv")


def _labels():
    from .models import LIKERT_CHOICES

    return LIKERT_CHOICES


# --- Public answer pages: no sign-in --------------------------------------------------------


@never_cache
def answer(request, token: str):
    return _answer(request, lambda today: services.resolve_invitation(token, today=today))


def _link_rate(group, request) -> str:
    return settings.SURVEY_LINK_RATE


@never_cache
@ratelimit(group="surveys.link-answers", key="ip", rate=_link_rate, method="POST", block=False)
def answer_link(request, token: str):
    # Clearing the cookie gives a browser another answer; the limit per client address
    # (REMOTE_ADDR, which core.middleware sets from TRUSTED_PROXY_COUNT) keeps a script from
    # piling them up. Counted in the shared cache, so every worker sees the same count.
    if request.limited:
        message = (
            "Many answers have come from your network address in the last hour. "
            "Please try again later, or ask for a personal invitation link."
        )
        return render(request, "surveys/answer_refused.html", {"message": message}, status=429)
    return _answer(request, lambda today: services.resolve_link(token, today=today))


def _cookie_name(survey: Survey) -> str:
    return f"survey{survey.pk}"


def _answer(request, resolve):
    today = timezone.localdate()
    try:
        target = resolve(today)
        if target.link and request.get_signed_cookie(
            _cookie_name(target.survey), None, salt=LINK_COOKIE_SALT
        ):
            raise services.AlreadyAnswered(
                "You have already answered this survey from this browser. Thank you!"
            )
        questions = list(target.survey.template.questions.all())
        form = AnswerForm(questions, request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.submit_response(target=target, answers=form.answers(), today=today)
            response = redirect("surveys:thanks")
            if target.link:
                expires = target.survey.closes_on + datetime.timedelta(days=1)
                response.set_signed_cookie(
                    _cookie_name(target.survey),
                    "1",
                    salt=LINK_COOKIE_SALT,
                    max_age=max(1, (expires - today).days) * 86400,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
    except services.AnswerRefused as refusal:
        return render(
            request, "surveys/answer_refused.html", {"message": refusal.message}, status=refusal.status
        )
    context = {"survey": target.survey, "school": target.school, "form": form}
    return render(request, "surveys/answer.html", context, status=400 if request.method == "POST" else 200)


def thanks(request):
    return render(request, "surveys/thanks.html")
