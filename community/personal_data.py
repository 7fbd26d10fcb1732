"""The community app's part of a person's data: memberships, their expert directory entry and the messages they
sent to experts. All of it goes with the account: the directory lists people who chose to be listed, and a person
who leaves is no longer one of them."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Part
from privacy.tables import delete_rows, table

from .models import ContactRequest, Expert, Membership


def _community(membership):
    return {"community_title": membership.community.title}


def export(user):
    yield table(
        "memberships", Membership.objects.filter(user=user).select_related("community"), user, extra=_community
    )
    yield table("expert_entry", Expert.objects.filter(user=user), user)
    yield table("messages_to_experts", ContactRequest.objects.filter(sender=user), user)


def erase(user):
    # A photo the person uploaded for the entry goes with it; one an editor chose from the library stays.
    photos = [
        expert.photo
        for expert in Expert.objects.filter(user=user, photo__uploaded_by_user=user).select_related("photo")
    ]
    counts = delete_rows(
        Membership.objects.filter(user=user),
        ContactRequest.objects.filter(sender=user),
        Expert.objects.filter(user=user),
    )
    for photo in photos:
        photo.delete()
        counts["wagtailimages.Image"] = counts.get("wagtailimages.Image", 0) + 1
    return counts


PART = Part(
    app="community",
    export=export,
    erase=erase,
    kept=_("Nothing of your communities: memberships, your expert directory entry and its photo are deleted."),
)
