"""Indicators as the documents that cite them keep them: plain text and a stable public address."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def indicator_url(indicator) -> str:
    """The indicator's public page on the canonical address, in the default language, for credentials to link."""
    framework = indicator.area.framework
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(
            "competencies:indicator",
            kwargs={
                "slug": framework.slug,
                "version": framework.version,
                "area": indicator.area.code,
                "code": indicator.code,
            },
        )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def frozen_alignments(indicators) -> list[list[str]]:
    """``[framework zh, framework en, code, title zh, title en, url]`` of each indicator (``select_related`` its
    area and framework), the shape a certificate stores and ``CertificateSnapshot.alignments`` reads."""
    rows = []
    for indicator in indicators:
        framework = indicator.area.framework
        rows.append(
            [
                f"{framework.name_zh} v{framework.version}",
                f"{framework.name_en} v{framework.version}",
                indicator.code,
                indicator.title_zh,
                indicator.title_en,
                indicator_url(indicator),
            ]
        )
    return rows
