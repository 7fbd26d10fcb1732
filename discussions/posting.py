"""Starting threads, replying, editing, deleting, moderating, reporting and following: every change to a board.

Each function takes the person acting and refuses (``DiscussionRefused``, a sentence for them) what their access on
the board does not allow, so a view cannot forget a check. Followers are told through ``notifications``.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.delivery import notify

from .access import Access, access_for, members_of, moderators_of
from .attachments import check_upload
from .models import Attachment, Board, Post, Report, Subscription, Thread
from .sanitising import clean_body, plain_text

DEFAULT_POSTS_PER_MINUTE = 5
DEFAULT_EDIT_MINUTES = 30


class DiscussionRefused(Exception):
    """``str(error)`` is a sentence for the person."""


def neutral_path(name: str, *args) -> str:
    """A path without its language prefix, which redirects each reader to their own language (for notifications)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, args=args)
    return path.removeprefix(f"/{settings.LANGUAGE_CODE}")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise DiscussionRefused(message)


def _within_rate(user) -> None:
    """Count a post against the person's allowance for this minute (shared by every app server through the cache)."""
    limit = getattr(settings, "DISCUSSION_POSTS_PER_MINUTE", DEFAULT_POSTS_PER_MINUTE)
    key = f"discussions:posts:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=61)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=61)
        count = 1
    _require(count <= limit, _("You are posting too quickly. Please wait a minute and try again."))


def edit_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "DISCUSSION_EDIT_MINUTES", DEFAULT_EDIT_MINUTES))


def can_change(post: Post, user, access: Access) -> bool:
    """The author may edit or delete their post for a while; a moderator may delete it at any time."""
    if post.deleted_at is not None:
        return False
    if access.moderate:
        return True
    return post.author_id == user.pk and access.post and timezone.now() - post.created_at <= edit_window()


def _attach(post: Post, files) -> None:
    _require(len(files) <= 5, _("Attach at most five files to one post."))
    for upload in files:
        content_type, is_image = check_upload(upload)
        Attachment.objects.create(
            post=post,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            content_type=content_type,
            is_image=is_image,
        )


def _subscribe(user, *, thread=None, board=None) -> None:
    Subscription.objects.get_or_create(user=user, thread=thread, board=board)


def start_thread(board: Board, user, title: str, body: str, files=()) -> Thread:
    access = access_for(board, user)
    _require(access.post, _("Only members can start a thread here."))
    _within_rate(user)
    with transaction.atomic():
        thread = Thread.objects.create(
            board=board, title=title.strip()[:200], author=user, language=translation.get_language() or ""
        )
        cleaned = clean_body(body)
        post = Post.objects.create(thread=thread, author=user, body=cleaned, text=plain_text(cleaned))
        _attach(post, list(files))
        _subscribe(user, thread=thread)
        mentioned = _mention(board, post, thread, user)
        followers = Subscription.objects.filter(board=board).exclude(user=user).select_related("user")
        _tell(board, [s.user for s in followers if s.user_id not in mentioned], "new_thread", thread, user)
    return thread


def reply(thread: Thread, user, body: str, files=(), quote_of: Post | None = None) -> Post:
    access = access_for(thread.board, user)
    _require(access.post, _("Only members can reply here."))
    if quote_of is not None and (quote_of.thread_id != thread.pk or quote_of.hidden or quote_of.deleted_at):
        quote_of = None
    _within_rate(user)
    with transaction.atomic():
        # Read under a lock, so a reply cannot slip in after a moderator locked or hid the thread.
        thread = Thread.objects.select_for_update().select_related("board__page").get(pk=thread.pk)
        _require(not thread.locked or access.moderate, _("This thread is locked."))
        _require(not thread.hidden or access.moderate, _("This thread is hidden."))
        cleaned = clean_body(body)
        post = Post.objects.create(
            thread=thread, author=user, body=cleaned, text=plain_text(cleaned), quote_of=quote_of
        )
        _attach(post, list(files))
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1, last_posted_at=post.created_at)
        followers = {
            s.user.pk: s.user
            for s in Subscription.objects.filter(thread=thread).exclude(user=user).select_related("user")
        }
        followers.update(
            {
                s.user.pk: s.user
                for s in Subscription.objects.filter(board=thread.board_id).exclude(user=user).select_related("user")
            }
        )
        for person_id in _mention(thread.board, post, thread, user):
            followers.pop(person_id, None)
        _tell(thread.board, list(followers.values()), "reply", thread, user)
        _subscribe(user, thread=thread)
    return post


def _mention(board: Board, post: Post, thread: Thread, actor) -> set[int]:
    """Tell the members named in the post as ``@name`` (their name as the site shows it); returns their ids, so
    they are not told a second time as followers."""
    if "@" not in post.text:
        return set()
    members = members_of(board).exclude(pk=actor.pk).select_related("teacher_profile")
    named = [person for person in members if f"@{person.display_name}" in post.text]
    _tell(board, named, "mention", thread, actor)
    return {person.pk for person in named}


def _tell(board: Board, people, event: str, thread: Thread, actor) -> None:
    """Notify ``people`` who can still read the board (a member who left is not told)."""
    url = neutral_path("discussions:thread", thread.pk)
    for person in people:
        if access_for(board, person).read:
            notify(person, event, url=url, context={"subject": thread.title, "actor": actor.display_name})


def edit(post: Post, user, body: str) -> Post:
    access = access_for(post.thread.board, user)
    _require(post.author_id == user.pk and can_change(post, user, access), _("This post can no longer be edited."))
    post.body = clean_body(body)
    post.text = plain_text(post.body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "text", "edited_at"])
    return post


def delete(post: Post, user) -> None:
    access = access_for(post.thread.board, user)
    _require(can_change(post, user, access), _("This post can no longer be deleted."))
    post.deleted_at = timezone.now()
    post.body = post.text = ""
    post.save(update_fields=["deleted_at", "body", "text"])
    post.attachments.all().delete()


def _moderator(board: Board, user) -> None:
    _require(access_for(board, user).moderate, _("Only a moderator can do this."))


def hide_post(post: Post, user, reason: str) -> None:
    _moderator(post.thread.board, user)
    reason = reason.strip()
    _require(bool(reason), _("Give a reason for hiding the post."))
    Post.objects.filter(pk=post.pk).update(hidden=True, hidden_reason=reason[:300], hidden_by=user)
    Report.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now())
    if post.author is not None and post.author_id != user.pk:
        notify(
            post.author,
            "post_hidden",
            url=neutral_path("discussions:thread", post.thread_id),
            context={"subject": post.thread.title, "reason": reason},
        )


def unhide_post(post: Post, user) -> None:
    _moderator(post.thread.board, user)
    Post.objects.filter(pk=post.pk).update(hidden=False, hidden_reason="", hidden_by=None)


def moderate_thread(thread: Thread, user, action: str, reason: str = "", board: Board | None = None) -> None:
    """Pin, unpin, lock, unlock, hide (with a reason), unhide, or move to another board the moderator moderates."""
    _moderator(thread.board, user)
    changes = {
        "pin": {"pinned": True},
        "unpin": {"pinned": False},
        "lock": {"locked": True},
        "unlock": {"locked": False},
        "unhide": {"hidden": False, "hidden_reason": ""},
    }
    if action == "hide":
        _require(bool(reason.strip()), _("Give a reason for hiding the thread."))
        changes[action] = {"hidden": True, "hidden_reason": reason.strip()[:300]}
    if action == "move":
        _require(board is not None and board.pk != thread.board_id, _("Choose another board."))
        _moderator(board, user)
        changes[action] = {"board": board}
    _require(action in changes, _("Unknown action."))
    Thread.objects.filter(pk=thread.pk).update(**changes[action])


def report(post: Post, user, reason: str) -> bool:
    """Report a post to the board's moderators, once per person; False when they had already reported it."""
    _require(access_for(post.thread.board, user).read, _("Only members can report a post."))
    reason = reason.strip()
    _require(bool(reason), _("Say what is wrong with the post."))
    _report, created = Report.objects.get_or_create(post=post, reporter=user, defaults={"reason": reason[:300]})
    if created:
        url = neutral_path("discussions:thread", post.thread_id)
        for moderator in moderators_of(post.thread.board):
            notify(moderator, "post_reported", url=url, context={"subject": post.thread.title, "reason": reason})
    return created


def mark_answer(thread: Thread, user, post: Post | None) -> None:
    """Course Q&A: a moderator marks a moderator's (a trainer's) reply as the answer, or clears it."""
    access = access_for(thread.board, user)
    _require(access.answers and access.moderate, _("Only a trainer can mark the answer."))
    if post is not None:
        _require(post.thread_id == thread.pk and not post.hidden and post.deleted_at is None, _("Choose a reply."))
        _require(
            post.author is not None and access_for(thread.board, post.author).moderate,
            _("Only a trainer's reply can be marked as the answer."),
        )
    Thread.objects.filter(pk=thread.pk).update(answer=post)


def toggle_subscription(user, *, thread: Thread | None = None, board: Board | None = None) -> bool:
    """Follow or stop following; True when now following."""
    _require(access_for(board or thread.board, user).read, _("Only members can follow this."))
    found = Subscription.objects.filter(user=user, thread=thread, board=board)
    if found.exists():
        found.delete()
        return False
    _subscribe(user, thread=thread, board=board)
    return True
