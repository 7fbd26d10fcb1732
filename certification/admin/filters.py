"""Filtering the certificate registry in the admin: programme, status (expired included), county/city, year."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from accounts.choices import County

from ..models import Certificate, CertificationProgramme

STATE_CHOICES = [
    ("valid", _("Valid")),
    ("expired", _("Expired")),
    ("revoked", _("Revoked")),
    ("pending", _("Being issued")),
]


class CertificateFilterSet(WagtailFilterSet):
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=CertificationProgramme.objects.all())
    state = django_filters.ChoiceFilter(label=_("Status"), choices=STATE_CHOICES, method="filter_state")
    county = django_filters.ChoiceFilter(label=_("County/city"), choices=County.choices)
    year = django_filters.NumberFilter(label=_("Year of issue"), field_name="issued_on", lookup_expr="year")

    class Meta:
        model = Certificate
        fields = ["programme", "state", "county", "year"]

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        unexpired = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        if value == "valid":
            return queryset.filter(unexpired, status=Certificate.Status.ISSUED)
        if value == "expired":
            return queryset.filter(status=Certificate.Status.ISSUED, valid_until__lt=today)
        return queryset.filter(status=value)


def search_registry(queryset, query: str):
    """Search by serial or holder name (never offered to the public)."""
    query = (query or "").strip()
    if not query:
        return queryset
    return queryset.filter(
        Q(serial__icontains=query) | Q(holder_name_zh__icontains=query) | Q(holder_name_en__icontains=query)
    )


def filtered_registry(request):
    """The registry as the admin listing shows it for this request's filters and search."""
    queryset = Certificate.objects.select_related("programme")
    filterset = CertificateFilterSet(request.GET, queryset=queryset, request=request)
    queryset = filterset.qs if filterset.is_valid() else queryset
    return search_registry(queryset, request.GET.get("q"))
