from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to the current page in every language, so switching language keeps the reader where they are."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request)
        else:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "is_current": code == current})
    return links


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page of the reader's language and its children that are shown in menus."""
    request = context["request"]
    site = Site.find_for_request(request)
    if site is None:
        return None, []
    root = site.root_page.specific
    try:
        locale = Locale.get_active()
        home = root.get_translation(locale)
    except (Locale.DoesNotExist, Page.DoesNotExist):
        home = root
    return home, list(home.get_children().live().in_menu().specific())
