"""Boards of threads and posts. A board belongs to a page (a community, a course); who may read, post and
moderate is said by the app that owns the page (see ``access``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Board(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="discussion_board"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("discussion board")
        verbose_name_plural = _("discussion boards")

    def __str__(self):
        return self.page.title


class Thread(models.Model):
    board = models.ForeignKey(Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Posts stay in the language they were written in; the interface around them follows the reader.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_posted_at = models.DateTimeField(_("last post at"), auto_now_add=True)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    answer = models.ForeignKey(
        "Post", verbose_name=_("answer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-pinned", "-last_posted_at", "-pk"]
        indexes = [models.Index(fields=["board", "hidden", "pinned", "last_posted_at"], name="thread_listing")]

    def __str__(self):
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("text"), help_text=_("Sanitised HTML, cleaned when saved."))
    # The words of the body without markup, for search.
    text = models.TextField(_("plain text"), blank=True)
    quote_of = models.ForeignKey(
        "self", verbose_name=_("quotes"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.thread} #{self.pk}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="discussions/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    is_image = models.BooleanField(_("image"), default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Report(models.Model):
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="unique_report_per_person")]

    def __str__(self):
        return f"{self.post} · {self.reason}"


class Subscription(models.Model):
    """Being told of new posts in one thread, or of new threads and posts on a whole board."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    board = models.ForeignKey(
        Board, verbose_name=_("board"), null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="unique_thread_subscription"),
            models.UniqueConstraint(fields=["user", "board"], name="unique_board_subscription"),
            models.CheckConstraint(
                condition=models.Q(thread__isnull=True) ^ models.Q(board__isnull=True),
                name="subscription_to_thread_or_board",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.thread or self.board}"
