from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.permissions import coordinator_required

from .models import Officer


@coordinator_required
def officer_list(request):
    officers = Officer.objects.select_related("agency")
    page = Paginator(officers, 25).get_page(request.GET.get("page"))
    return render(request, "officers/officer_list.html", {"page_obj": page})


@coordinator_required
def officer_detail(request, pk: int):
    officer = get_object_or_404(Officer.objects.select_related("agency", "supervisor"), pk=pk)
    return render(request, "officers/officer_detail.html", {"officer": officer})
