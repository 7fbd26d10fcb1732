"""The discussions' part of a person's data: threads and posts they wrote, reports they made, subscriptions.

After a deletion, threads and posts stay where they are, without their author ("Former member"): a discussion
others replied to and quoted would not read without them. Their text stays as written; what the person wrote about
themselves in a post is theirs to delete before asking for the deletion. Reports and subscriptions go.
"""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Attachment, Part
from privacy.tables import delete_rows, table

from .models import Attachment as PostAttachment
from .models import Post, Report, Subscription, Thread


def export(user):
    yield table("threads", Thread.objects.filter(author=user), user)
    yield table("posts", Post.objects.filter(author=user), user)
    yield table("post_attachments", PostAttachment.objects.filter(post__author=user), user)
    yield table("reports", Report.objects.filter(reporter=user), user)
    yield table("subscriptions", Subscription.objects.filter(user=user), user)
    for attachment in PostAttachment.objects.filter(post__author=user).order_by("pk"):
        yield Attachment(f"attachments/{attachment.pk}-{attachment.name}", attachment.file)


def erase(user):
    counts = delete_rows(Report.objects.filter(reporter=user), Subscription.objects.filter(user=user))
    counts["discussions.Thread (anonymised)"] = Thread.objects.filter(author=user).update(author=None)
    counts["discussions.Post (anonymised)"] = Post.objects.filter(author=user).update(author=None)
    return counts


PART = Part(
    app="discussions",
    export=export,
    erase=erase,
    kept=_(
        "Your discussion threads and posts stay, shown as written by a former member, so that the discussions "
        "others replied to still read; nothing links them to you any more. Delete a post yourself first if you "
        "want its text gone."
    ),
)
