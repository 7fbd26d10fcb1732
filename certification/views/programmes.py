"""The programmes teachers can earn, each with its requirements and, for a signed-in teacher, their checklist."""

from django.shortcuts import get_object_or_404, render

from ..registry.eligibility import active_programmes, evaluate_all


def programme_list(request):
    programmes = list(active_programmes())
    eligibilities = evaluate_all(request.user, programmes) if request.user.is_authenticated else []
    return render(
        request, "certification/programme_list.html", {"programmes": programmes, "eligibilities": eligibilities}
    )


def programme_detail(request, slug):
    programme = get_object_or_404(active_programmes(), slug=slug)
    eligibility = evaluate_all(request.user, [programme])[0] if request.user.is_authenticated else None
    return render(request, "certification/programme_detail.html", {"programme": programme, "eligibility": eligibility})
