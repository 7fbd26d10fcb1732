"""What a person can be told about, how each is worded and how it is delivered unless they choose otherwise.

The catalogue lives here, on the ground floor, so that every app can name a kind without this app knowing the app.
A message is a format string over the notification's context, translated when it is shown: a notification reads in
the reader's language, whatever language the event happened in.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPLY = "reply", _("New threads and replies I follow")
    MENTION = "mention", _("Mentions of me")
    MODERATION = "moderation", _("Moderation of my posts and reports to moderate")
    REGISTRATION = "registration", _("Workshop registration and waiting list")
    CERTIFICATE = "certificate", _("Certificates issued, revoked or expiring")
    GRADED = "graded", _("Graded essays")
    FEEDBACK_REQUEST = "feedback_request", _("Feedback questionnaires to answer")
    RESOURCE_REVIEW = "resource_review", _("Reviews of my teaching resources")
    PERSONAL_DATA = "personal_data", _("Copies of my personal data")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("Daily digest e-mail")
    OFF = "off", _("No e-mail")


# How each kind reaches a person who has not chosen: things they must act on at once by e-mail, chatter in the digest.
DEFAULT_DELIVERY = {
    Kind.REPLY: Delivery.DIGEST,
    Kind.MENTION: Delivery.IMMEDIATE,
    Kind.MODERATION: Delivery.IMMEDIATE,
    Kind.REGISTRATION: Delivery.IMMEDIATE,
    Kind.CERTIFICATE: Delivery.IMMEDIATE,
    Kind.GRADED: Delivery.IMMEDIATE,
    Kind.FEEDBACK_REQUEST: Delivery.DIGEST,
    Kind.RESOURCE_REVIEW: Delivery.IMMEDIATE,
    Kind.PERSONAL_DATA: Delivery.IMMEDIATE,
}

# Every event a sender may announce: the kind whose preferences apply, and its message, a format string over the
# context the sender gives.
EVENTS = {
    "reply": (Kind.REPLY, _("{actor} replied in “{subject}”.")),
    "new_thread": (Kind.REPLY, _("{actor} started “{subject}”.")),
    "mention": (Kind.MENTION, _("{actor} mentioned you in “{subject}”.")),
    "post_hidden": (Kind.MODERATION, _("A moderator hid your post in “{subject}”: {reason}")),
    "post_reported": (Kind.MODERATION, _("A post in “{subject}” was reported: {reason}")),
    "registered": (Kind.REGISTRATION, _("You are registered for “{subject}”.")),
    "waitlisted": (Kind.REGISTRATION, _("“{subject}” is full: you are on the waiting list.")),
    "waitlist_promoted": (Kind.REGISTRATION, _("A seat came free: you are now registered for “{subject}”.")),
    "certificate_issued": (Kind.CERTIFICATE, _("Your certificate “{subject}” has been issued.")),
    "certificate_revoked": (Kind.CERTIFICATE, _("Your certificate “{subject}” has been revoked.")),
    "certificate_expiring": (Kind.CERTIFICATE, _("Your certificate “{subject}” expires soon.")),
    "name_correction_requested": (
        Kind.CERTIFICATE,
        _("{actor} asked for the name on their certificates to be corrected."),
    ),
    "name_correction_approved": (
        Kind.CERTIFICATE,
        _("Your name is corrected to “{subject}”: your certificates are reissued and the old ones revoked."),
    ),
    "name_correction_declined": (
        Kind.CERTIFICATE,
        _("Your request to correct your name to “{subject}” was declined: {reason}"),
    ),
    "essay_graded": (Kind.GRADED, _("Your answer in “{subject}” has been graded.")),
    "feedback_requested": (
        Kind.FEEDBACK_REQUEST,
        _("Please tell us how “{subject}” went: a short questionnaire is waiting for you."),
    ),
    "resource_accepted": (
        Kind.RESOURCE_REVIEW,
        _("Your teaching resource “{subject}” was accepted and is now public."),
    ),
    "resource_changes_requested": (
        Kind.RESOURCE_REVIEW,
        _("A reviewer asked for changes to your teaching resource “{subject}”: {reason}"),
    ),
    "resource_declined": (Kind.RESOURCE_REVIEW, _("Your teaching resource “{subject}” was declined: {reason}")),
    "resource_submitted": (Kind.RESOURCE_REVIEW, _("“{subject}” was submitted for review by {actor}.")),
    "data_export_ready": (
        Kind.PERSONAL_DATA,
        _("The copy of your personal data is ready to download until {expires}."),
    ),
    "data_export_failed": (
        Kind.PERSONAL_DATA,
        _("The copy of your personal data could not be prepared (an error on our side). Please ask again."),
    ),
}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def kind_of(event: str) -> Kind:
    return EVENTS[event][0]


def render_message(event: str, context: dict) -> str:
    """The message of ``event`` in the active language; a context key the sender left out reads as empty.

    A sender naming something that has a name in each language gives ``subject`` (Chinese) and ``subject_en``.
    """
    values = _Blank(context)
    if values.get("subject_en") and (get_language() or "").startswith("en"):
        values["subject"] = values["subject_en"]
    return str(EVENTS[event][1]).format_map(values)
