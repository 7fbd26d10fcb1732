"""What happens when a teacher becomes eligible: automatic programmes issue, approval programmes queue them."""

import logging

from django.contrib.auth import get_user_model

from .eligibility import evaluate_all
from .issuing import IssuingRefused, issue_certificate, request_approval
from .models import Certificate, CertificationProgramme

logger = logging.getLogger(__name__)


def act_on_eligibility(user) -> list[str]:
    """Issue or queue whatever ``user`` has newly earned; returns what was done, as "issued:slug"/"queued:slug"."""
    done = []
    for eligibility in evaluate_all(user):
        programme = eligibility.programme
        if not eligibility.eligible or eligibility.holds_certificate:
            continue
        if programme.issue_mode == CertificationProgramme.IssueMode.AUTOMATIC:
            try:
                issue_certificate(user, programme, origin=Certificate.Origin.AUTOMATIC)
            except IssuingRefused as refusal:
                logger.info("Eligible teacher %s not issued %s: %s", user.pk, programme.slug, refusal)
                continue
            done.append(f"issued:{programme.slug}")
        elif request_approval(user, programme) is not None:
            done.append(f"queued:{programme.slug}")
    return done


def reevaluate_everyone(batch_size: int = 500):
    """Act on the eligibility of every active user; yields (user id, actions) as it goes."""
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    for user in users.iterator(chunk_size=batch_size):
        yield user.pk, act_on_eligibility(user)
