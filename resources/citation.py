"""How to cite a resource: its authors, year, title, the site, its address and its licence."""

from django.utils.translation import gettext as _


def author_names(resource) -> list[str]:
    return [resource.author.display_name, *(person.display_name for person in resource.co_authors.all())]


def citation_line(resource, address: str) -> str:
    terms = resource.licence_terms
    year = (resource.accepted_at or resource.created_at).year
    return _("%(authors)s (%(year)d). %(title)s. IE Academy. %(address)s. Licensed under %(licence)s: %(url)s") % {
        "authors": ", ".join(author_names(resource)),
        "year": year,
        "title": resource.title,
        "address": address,
        "licence": terms.short_name,
        "url": terms.url,
    }
