"""Cached answers about one learner (the dashboard's fragments, the xAPI intake's access check, their pages in
``courses.learner_pages``), kept correct by a generation token per learner that every change to their enrolments,
progress, attendance, certificates, saved H5P state or account replaces.

A cache key carries the tokens it was computed under (``core.generations``: random, replaced at once and again on
commit). A site-wide token does the same for changes that touch every learner: a course or module published, moved
or deleted, a programme edited.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from accounts.models import TeacherProfile, User
from competencies.models import framework_status_changed
from core.generations import current_tokens, replace_token

from .models import Attendance, ContentUserData, Enrolment, ModulePage, ModuleProgress

TOKEN_SECONDS = 7 * 24 * 3600
# A fragment lives this long at most even if no change is announced (a change made by a bulk UPDATE, say).
FRAGMENT_SECONDS = 15 * 60
SITE_TOKEN = "courses:learners-token"


def learner_token_key(user_id):
    return f"courses:learner-token:{user_id}"


def tokens(user_id) -> str:
    """The learner's and the site's current tokens, in one cache round trip (created when missing)."""
    keys = [learner_token_key(user_id), SITE_TOKEN]
    found = current_tokens(keys, TOKEN_SECONDS)
    return f"{found[keys[0]]}.{found[keys[1]]}"


def learner_changed(user_id):
    """Forget every cached answer about ``user_id``, now and when the current transaction commits."""
    replace_token(learner_token_key(user_id), TOKEN_SECONDS)


def everyone_changed():
    """Forget every learner's cached answers, now and when the current transaction commits."""
    replace_token(SITE_TOKEN, TOKEN_SECONDS)


def fragment_keys(user_id, names) -> dict[str, str]:
    """``{name: cache key}`` of the learner's fragments in the active language; the date is part of the key
    because certificates expire and eligibility windows move with it."""
    stamp = f"{user_id}:{tokens(user_id)}:{get_language()}:{timezone.localdate().isoformat()}"
    return {name: f"courses:learner-fragment:{name}:{stamp}" for name in names}


def fragments(user_id, renderers: dict) -> dict[str, str]:
    """``{name: html}`` for ``renderers`` (``{name: callable returning html}``), rendering only what is not cached."""
    keys = fragment_keys(user_id, renderers)
    cached = cache.get_many(keys.values())
    html, fresh = {}, {}
    for name, key in keys.items():
        if key in cached:
            html[name] = cached[key]
        else:
            html[name] = fresh[key] = renderers[name]()
    if fresh:
        cache.set_many(fresh, FRAGMENT_SECONDS)
    return html


def _learner_row_changed(sender, instance, **kwargs):
    learner_changed(instance.user_id)


def _account_changed(sender, instance, update_fields=None, **kwargs):
    """The learner's name shows on their pages (the H5P player's user name); a sign-in only stamps last_login."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    learner_changed(getattr(instance, "user_id", instance.pk))


def _page_changed(sender, **kwargs):
    everyone_changed()


def connect():
    """Listen to every change a learner's cached answers rest on (called once, from the app's ``ready``)."""
    for model in (Enrolment, ModuleProgress, Attendance, ContentUserData):
        for signal in (post_save, post_delete):
            signal.connect(_learner_row_changed, sender=model, dispatch_uid=f"learner-cache.{model.__name__}")
    for model in (User, TeacherProfile):
        post_save.connect(_account_changed, sender=model, dispatch_uid=f"learner-cache.{model.__name__}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_changed, dispatch_uid="learner-cache.pages")
    post_delete.connect(_page_changed, sender=ModulePage, dispatch_uid="learner-cache.module-deleted")
    # The dashboard lists the indicators learners' work covers, marked by their framework version's status.
    framework_status_changed.connect(_page_changed, dispatch_uid="learner-cache.competency-framework")
    # A cached xAPI access rests on the course's view restrictions too.
    for signal in (post_save, post_delete):
        signal.connect(_page_changed, sender=PageViewRestriction, dispatch_uid="learner-cache.view-restrictions")
