"""How text becomes search terms, the same way for what is indexed and for what is asked.

Chinese is written without spaces, so words cannot be split on them. Each run of Han characters is cut into
overlapping pairs of characters (國際教育 → 國際, 際教, 教育), the way Lucene's CJK analyser indexes Chinese, Japanese
and Korean: a query matches wherever all its pairs occur, whatever the words a dictionary would have cut, so
names, new terms and Taiwanese usage need no dictionary (jieba's default dictionary is Simplified Chinese). Letters
and digits form words, lower-cased, with a plural "s" dropped. Before that, the text is folded: NFKC turns full-width
letters and digits into half-width ones, and the variant characters people type for one another (台/臺 and a few
more) become one.
"""

import re
import unicodedata

from django.utils.html import escape

# Variant characters written for one another in Taiwan; the index and the query both use the right-hand form.
VARIANTS = str.maketrans({"台": "臺", "羣": "群", "綫": "線", "裏": "裡", "着": "著", "麪": "麵", "峯": "峰"})
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
TOKEN = re.compile(rf"({HAN}+)|([0-9a-z]+)")
MAX_QUERY_TERMS = 32


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower().translate(VARIANTS)


def _word(word):
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The terms of ``text`` in order, repeats kept (their count weighs a document)."""
    found = []
    for han, word in TOKEN.findall(fold(text)):
        if han:
            found.extend([han] if len(han) == 1 else [han[i : i + 2] for i in range(len(han) - 1)])
        else:
            found.append(_word(word)[:40])
    return found


def query_terms(text: str) -> list[str]:
    """The distinct terms a query asks for, in order, at most ``MAX_QUERY_TERMS``."""
    return list(dict.fromkeys(terms(text[:500])))[:MAX_QUERY_TERMS]


def highlight(text: str, asked: list[str]) -> str:
    """``text`` escaped, with the stretches that match the asked terms marked (``<mark>``)."""
    if not text:
        return ""
    folded = fold(text)
    if len(folded) != len(text):
        # NFKC changed the length (a ligature, say): positions would not line up, so nothing is marked.
        return escape(text)
    marked = [False] * len(text)
    for term in asked:
        for match in re.finditer(re.escape(term), folded):
            for position in range(match.start(), match.end()):
                marked[position] = True
    pieces, start = [], 0
    for position in range(1, len(text) + 1):
        if position == len(text) or marked[position] != marked[start]:
            chunk = escape(text[start:position])
            pieces.append(f"<mark>{chunk}</mark>" if marked[start] else chunk)
            start = position
    return "".join(pieces)
