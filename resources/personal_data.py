"""The teaching resources' part of a person's data: what they wrote or co-wrote, with the files, and favourites.

After a deletion a public resource stays public, credited to a deleted user: it was shared under an open licence
that other teachers rely on and cannot be withdrawn from those who already have it. A resource that never became
public (a draft, one in review, one declined) is deleted with its files. Favourites and co-authorships go.
"""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Attachment, Part
from privacy.tables import delete_rows, table

from .choices import Status
from .models import Favourite, Resource, ReviewEvent


def export(user):
    resources = Resource.objects.by(user)
    yield table("resources", resources, user)
    yield table("favourites", Favourite.objects.filter(user=user), user)
    for resource in Resource.objects.filter(author=user).order_by("pk"):
        if resource.file:
            yield Attachment(f"resources/{resource.pk}/{resource.file.name.rsplit('/', 1)[-1]}", resource.file)


def erase(user):
    unpublished = Resource.objects.filter(author=user).exclude(status=Status.ACCEPTED)
    for resource in unpublished:
        for stored in (resource.file, resource.preview):
            if stored:
                stored.delete(save=False)
    counts = delete_rows(Favourite.objects.filter(user=user), unpublished)
    co_authored = Resource.co_authors.through.objects.filter(user=user)
    counts.update(delete_rows(co_authored))
    counts["resources.ReviewEvent (unnamed)"] = ReviewEvent.objects.filter(actor=user).update(actor=None)
    counts["resources.Resource (kept public)"] = Resource.objects.filter(author=user).count()
    return counts


PART = Part(
    app="resources",
    export=export,
    erase=erase,
    kept=_(
        "Your public teaching resources stay public under their licence, credited to a deleted user; drafts and "
        "resources that were never published are deleted with their files."
    ),
)
