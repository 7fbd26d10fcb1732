"""Search within a board's threads, by title and by the words of their posts.

Chinese is written without spaces, so word-based full-text search finds little; a substring match finds every
thread that contains the characters typed. Each space-separated term must appear (in the title or in a visible
post). On PostgreSQL a trigram index can serve the same ``icontains`` lookups; on SQLite they scan.
"""

from django.db.models import Exists, OuterRef, Q

from .models import Post

MAX_TERMS = 5


def matching(threads, query: str):
    terms = query.split()[:MAX_TERMS]
    for term in terms:
        in_posts = Post.objects.filter(
            thread=OuterRef("pk"), hidden=False, deleted_at__isnull=True, text__icontains=term
        )
        threads = threads.filter(Q(title__icontains=term) | Exists(in_posts))
    return threads
