"""What happens when a teacher becomes eligible: automatic programmes issue, approval programmes queue them."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import get_language

from ..models import Certificate, CertificationProgramme
from .eligibility import TeacherRecord, catalogue, evaluate_all, judge
from .issuing import IssuingRefused, issue_certificate, request_approval

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


@dataclass
class Reevaluation:
    """What re-evaluating a chunk of teachers found and did."""

    teachers: int = 0
    eligible: int = 0  # teachers eligible for at least one programme whose certificate they do not hold yet
    issued: int = 0  # certificates issued (pending, queued for rendering and signing)
    queued: int = 0  # approval requests
    actions: dict[int, list[str]] = field(default_factory=dict)  # by teacher, for those with something done

    def add(self, chunk: "Reevaluation") -> None:
        """Count ``chunk`` in these totals (its actions are not kept: they are the chunk's own)."""
        self.teachers += chunk.teachers
        self.eligible += chunk.eligible
        self.issued += chunk.issued
        self.queued += chunk.queued


def reevaluate_everyone(chunk_size: int = 2000, *, act: bool = True) -> Iterator[Reevaluation]:
    """Evaluate every active user again, ``chunk_size`` teachers at a time; yields each chunk's counts.

    A chunk is two queries (its ids, then :meth:`TeacherRecord.load_many`) whatever its size, and model instances
    are read only for the few teachers who earned something new. With ``act`` false nothing is issued or queued
    (a dry run: the counts say what would be)."""
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    last = 0
    while ids := list(users.filter(pk__gt=last).values_list("pk", flat=True)[:chunk_size]):
        last = ids[-1]
        yield _reevaluate_chunk(ids, act)


def _reevaluate_chunk(ids, act: bool) -> Reevaluation:
    current = catalogue()
    titles = current.titles_in(get_language())
    today = timezone.localdate()
    records = TeacherRecord.load_many(ids)
    earned = {}
    for user_id in ids:
        eligibilities = [judge(programme, records[user_id], titles, today) for programme in current.programmes]
        if any(eligibility.eligible and not eligibility.holds_certificate for eligibility in eligibilities):
            earned[user_id] = eligibilities
    chunk = Reevaluation(teachers=len(ids), eligible=len(earned))
    if act and earned:
        for user in get_user_model().objects.filter(pk__in=list(earned)).order_by("pk"):
            done = act_on_eligibility(user, earned[user.pk])
            if done:
                chunk.actions[user.pk] = done
            chunk.issued += sum(action.startswith("issued:") for action in done)
            chunk.queued += sum(action.startswith("queued:") for action in done)
    return chunk
