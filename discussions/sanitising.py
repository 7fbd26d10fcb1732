"""Post bodies are cleaned with nh3 (the ammonia sanitiser) when saved, so what is stored is safe to show as is.

Only structure survives: paragraphs, emphasis, lists, quotes, code, links and images. No script, no event handler,
no style attribute or element (CSS can overlay the page or hide text), no class or id, no ``javascript:`` or
``data:`` URLs; links get ``rel="nofollow noopener noreferrer ugc"``. Text typed without markup keeps its line breaks
and its addresses become links.
"""

import html
import re

import nh3
from django.utils.html import escape, linebreaks, urlize

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "blockquote", "code", "pre", "a", "img"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer ugc"
# Text is markup when it has something like a tag; "a < b" or "<不是標籤" is plain text.
MARKUP = re.compile(r"<[A-Za-z/!]")


def clean_body(raw: str) -> str:
    raw = raw.strip()
    if not MARKUP.search(raw):
        raw = linebreaks(urlize(escape(raw), nofollow=True))
    return nh3.clean(
        raw, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=LINK_REL, strip_comments=True
    ).strip()


def plain_text(body: str) -> str:
    """The words of a cleaned body, for search and excerpts."""
    return " ".join(html.unescape(nh3.clean(body, tags=set())).split())
