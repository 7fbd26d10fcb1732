"""The public framework pages: framework → area → indicator, in both languages.

They are what a certificate's Open Badges ``alignment.targetUrl`` points at, so every published or retired version
stays readable for good; drafts are nobody's business but the editors' and answer 404.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Area, Framework, Indicator, SchoolStage


def _framework(slug, version):
    return get_object_or_404(Framework.objects.citable(), slug=slug, version=version)


def framework_index(request):
    frameworks = Framework.objects.citable()
    return render(request, "competencies/framework_index.html", {"frameworks": frameworks})


def framework_detail(request, slug, version):
    framework = _framework(slug, version)
    stage = request.GET.get("stage", "")
    indicators = Indicator.objects.order_by("sort_order", "code")
    if stage in SchoolStage.values:
        indicators = indicators.filter(stage=stage)
    else:
        stage = ""
    areas = framework.areas.prefetch_related(Prefetch("indicators", queryset=indicators))
    newer = Framework.objects.citable().filter(slug=slug, version__gt=version).order_by("-version").first()
    return render(
        request,
        "competencies/framework_detail.html",
        {"framework": framework, "areas": areas, "stages": SchoolStage.choices, "stage": stage, "newer": newer},
    )


def area_detail(request, slug, version, area):
    framework = _framework(slug, version)
    area = get_object_or_404(Area, framework=framework, code=area)
    return render(
        request,
        "competencies/area_detail.html",
        {"framework": framework, "area": area, "indicators": area.indicators.order_by("sort_order", "code")},
    )


def indicator_detail(request, slug, version, area, code):
    framework = _framework(slug, version)
    indicator = get_object_or_404(
        Indicator.objects.select_related("area"), area__framework=framework, area__code=area, code=code
    )
    return render(
        request,
        "competencies/indicator_detail.html",
        {"framework": framework, "area": indicator.area, "indicator": indicator},
    )
