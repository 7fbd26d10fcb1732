from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COURSE = "course", _("Courses")
    RESOURCE = "resource", _("Teaching resources")
    WORKSHOP = "workshop", _("Workshops")
    NEWS = "news", _("News")
    COMMUNITY = "community", _("Communities")
    EXPERT = "expert", _("Experts")
    PAGE = "page", _("Pages")


class SearchDocument(models.Model):
    """One public thing in one language as search finds it: what the results list shows, and its facets."""

    key = models.CharField(_("key"), max_length=60)  # "page:12", "resource:7", "expert:3"
    language = models.CharField(_("language"), max_length=10)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    # A teaching resource's facets, as columns a query filters on (blank for everything else).
    school_level = models.CharField(_("school level"), max_length=20, blank=True)
    subject_domain = models.CharField(_("subject domain"), max_length=40, blank=True)
    theme = models.CharField(_("theme"), max_length=40, blank=True)
    licence = models.CharField(_("licence"), max_length=20, blank=True)
    resource_language = models.CharField(_("resource language"), max_length=10, blank=True)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["key", "language"], name="unique_search_document")]
        indexes = [
            models.Index(fields=["language", "kind"]),
            # A selective facet may drive the query instead of a common term's postings.
            models.Index(fields=["kind", "school_level"], name="search_doc_school_level"),
            models.Index(fields=["kind", "subject_domain"], name="search_doc_subject_domain"),
            models.Index(fields=["kind", "theme"], name="search_doc_theme"),
            models.Index(fields=["kind", "licence"], name="search_doc_licence"),
            models.Index(fields=["kind", "resource_language"], name="search_doc_resource_language"),
        ]

    def __str__(self):
        return f"{self.key} ({self.language})"


class Posting(models.Model):
    """That a term occurs in a document, and how much it weighs there (a title's terms weigh most)."""

    term = models.CharField(_("term"), max_length=40)
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="postings")
    weight = models.PositiveIntegerField(_("weight"))

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [models.UniqueConstraint(fields=["term", "document"], name="unique_search_posting")]
        indexes = [
            # A query reads its rarest term's postings heaviest first and stops at a bounded number of them: this
            # index holds everything that read needs, in that order.
            # (A candidate is checked for the other asked terms through the unique (term, document) index.)
            models.Index(fields=["term", "-weight", "document"], name="search_posting_by_weight"),
        ]

    def __str__(self):
        return f"{self.term} → {self.document_id}"


class Term(models.Model):
    """A term of the index and how many documents hold it: which asked term is rarest, and the words a
    correction may suggest, are read here instead of from the postings."""

    term = models.CharField(_("term"), max_length=40, unique=True)
    documents = models.PositiveIntegerField(_("documents"))

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [models.Index(fields=["-documents"], name="search_term_by_frequency")]

    def __str__(self):
        return f"{self.term} ({self.documents})"
