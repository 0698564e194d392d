from django.contrib.auth.decorators import login_required
from django.http import JsonResponse

from .selectors import search_results


@login_required
def student_search(request):
    """Students of a school the user may see, by local ID or name, for the incident form's
    search box (the form also searches without JavaScript). Names only for those allowed."""
    return JsonResponse(
        {
            "results": search_results(
                user=request.user, school_id=request.GET.get("school"), text=request.GET.get("q", "")
            )
        }
    )
