from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import School


def get_school_for_user(request, pk: int) -> School:
    """The school, if the user may see it; 404 otherwise (never reveal it exists)."""
    return get_object_or_404(School.objects.visible_to(request.user), pk=pk)


@login_required
def school_list(request):
    schools = School.objects.visible_to(request.user)
    page = Paginator(schools, 25).get_page(request.GET.get("page"))
    return render(request, "schools/school_list.html", {"page_obj": page})


@login_required
def school_detail(request, pk: int):
    school = get_school_for_user(request, pk)
    return render(request, "schools/school_detail.html", {"school": school})
