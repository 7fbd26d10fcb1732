"""What happens when a teacher becomes eligible: automatic programmes issue, approval programmes queue them."""

import logging

from django.contrib.auth import get_user_model

from .eligibility import TeacherRecord, active_programmes, course_titles, evaluate_all
from .issuing import IssuingRefused, issue_certificate, request_approval
from .models import Certificate, CertificationProgramme

logger = logging.getLogger(__name__)


def act_on_eligibility(user, eligibilities=None) -> list[str]:
    """Issue or queue whatever ``user`` has newly earned; returns what was done, as "issued:slug"/"queued:slug".

    ``eligibilities`` is the user's evaluation when the caller has it already (a batch of teachers)."""
    done = []
    for eligibility in evaluate_all(user) if eligibilities is None else eligibilities:
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
    """Act on the eligibility of every active user; yields (user id, actions) as it goes.

    Teachers are read by batches: the programmes once, and each batch's records in four queries, so the cost is
    the evaluation in memory, plus the issuing for the few who have earned something new."""
    programmes = list(active_programmes())
    titles = course_titles(programmes)
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    batch = []
    for user in users.iterator(chunk_size=batch_size):
        batch.append(user)
        if len(batch) == batch_size:
            yield from _act_on_batch(batch, programmes, titles)
            batch = []
    yield from _act_on_batch(batch, programmes, titles)


def _act_on_batch(users, programmes, titles):
    records = TeacherRecord.load_many([user.pk for user in users])
    for user in users:
        eligibilities = evaluate_all(user, programmes, record=records[user.pk], titles=titles)
        yield user.pk, act_on_eligibility(user, eligibilities)
