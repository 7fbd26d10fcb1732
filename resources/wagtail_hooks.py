from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import Resource
from .review import is_reviewer


@hooks.register("teacher_profile_links")
def teaching_resources_link(request):
    """A teacher's profile invites them to share resources, and says how many of theirs are public."""
    accepted = Resource.objects.public().by(request.user).count()
    if accepted:
        text = _("%(count)d of your teaching resources are public. Share another, or see who downloads them.") % {
            "count": accepted
        }
    else:
        text = _("Share a lesson plan, slides or a worksheet with other teachers: reviewers read it first.")
    return {
        "title": _("My teaching resources"),
        "text": text,
        "url": reverse("resources:mine"),
        "label": _("My resources"),
    }


@hooks.register("teacher_profile_links")
def review_queue_link(request):
    if not is_reviewer(request.user):
        return None
    return {
        "title": _("Resources to review"),
        "text": _("Teachers' submitted resources wait for a reviewer's decision."),
        "url": reverse("resources:review_queue"),
        "label": _("Open the review queue"),
    }
