"""Who may have which certificate: every requirement of a programme, met or not, with the numbers behind it.

Everything about a teacher that a requirement needs is read once into a :class:`TeacherRecord` (a handful of
queries, whatever the number of programmes), then each programme is judged from it in memory. Progress, hours and
attendance come from ``courses`` (attendance from :class:`courses.models.Attendance`, community sessions included,
since community sessions use the same mechanism); never from ``community``.

Courses exist once per language (Wagtail translations share a ``translation_key``); a course completed in English
counts for a programme that names its Chinese page, so courses are compared by translation key.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses.models import Attendance, CoursePage, Enrolment, ModuleProgress, TrainingSession

from .models import Certificate, CertificationProgramme


class Kind:
    COURSES = "courses"
    HOURS = "hours"
    SCORE = "score"
    PREREQUISITE = "prerequisite"
    COMMUNITY_SESSIONS = "community_sessions"


@dataclass(frozen=True)
class Requirement:
    kind: str
    label: str
    met: bool
    detail: str
    current: Decimal | int | None = None
    required: Decimal | int | None = None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Eligibility:
    programme: CertificationProgramme
    requirements: tuple[Requirement, ...]
    certificate: Certificate | None = None

    @property
    def eligible(self) -> bool:
        return all(requirement.met for requirement in self.requirements)

    @property
    def requirements_met(self) -> int:
        return sum(requirement.met for requirement in self.requirements)

    @property
    def holds_certificate(self) -> bool:
        return self.certificate is not None


@dataclass(frozen=True)
class CompletedCourse:
    study_hours: Decimal
    completed_at: datetime


@dataclass
class TeacherRecord:
    """What certification needs to know about one teacher, read in a few queries."""

    completed_courses: dict[str, CompletedCourse] = field(default_factory=dict)
    workshops: list[tuple[Decimal, datetime]] = field(default_factory=list)
    community_sessions: int = 0
    best_scores: dict[str, list[Decimal]] = field(default_factory=lambda: defaultdict(list))
    current_certificates: dict[int, Certificate] = field(default_factory=dict)

    @classmethod
    def load(cls, user) -> "TeacherRecord":
        return cls.load_many([user.pk])[user.pk]

    @classmethod
    def load_many(cls, user_ids) -> dict[int, "TeacherRecord"]:
        """Records of many teachers in the same four queries as one (re-evaluating everyone goes by batches)."""
        records = {user_id: cls() for user_id in user_ids}
        completed = Enrolment.objects.filter(user__in=user_ids, completed_at__isnull=False).values_list(
            "user_id", "course__translation_key", "course__study_hours", "completed_at"
        )
        for user_id, key, hours, completed_at in completed:
            records[user_id].completed_courses[str(key)] = CompletedCourse(hours, completed_at)
        attended = Attendance.objects.filter(user__in=user_ids).values_list(
            "user_id", "session__kind", "session__hours", "session__ends_at"
        )
        for user_id, kind, hours, ended_at in attended:
            if kind == TrainingSession.Kind.COMMUNITY:
                records[user_id].community_sessions += 1
            else:
                records[user_id].workshops.append((hours, ended_at))
        scores = ModuleProgress.objects.filter(user__in=user_ids, best_score__isnull=False).values_list(
            "user_id", "course__translation_key", "best_score"
        )
        for user_id, key, score in scores:
            records[user_id].best_scores[str(key)].append(score)
        for certificate in Certificate.objects.filter(user__in=user_ids, is_current=True):
            records[certificate.user_id].current_certificates[certificate.programme_id] = certificate
        return records

    @property
    def online_hours(self) -> Decimal:
        return sum((course.study_hours for course in self.completed_courses.values()), Decimal(0))

    @property
    def workshop_hours(self) -> Decimal:
        return sum((hours for hours, _ended in self.workshops), Decimal(0))

    @property
    def hours(self) -> Decimal:
        return self.online_hours + self.workshop_hours

    def hours_since(self, moment: datetime) -> Decimal:
        online = sum(
            (course.study_hours for course in self.completed_courses.values() if course.completed_at >= moment),
            Decimal(0),
        )
        return online + sum((hours for hours, ended in self.workshops if ended >= moment), Decimal(0))

    def score_for(self, course_keys: set[str]) -> Decimal | None:
        """Average best module score over the given courses (all scored courses when none are given)."""
        scores = [
            score
            for key, course_scores in self.best_scores.items()
            if not course_keys or key in course_keys
            for score in course_scores
        ]
        if not scores:
            return None
        return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"))

    def holds_valid(self, programme_id: int, today: date) -> bool:
        certificate = self.current_certificates.get(programme_id)
        return (
            certificate is not None
            and certificate.status == Certificate.Status.ISSUED
            and not certificate.is_expired(today)
        )


def active_programmes():
    """Open programmes with their required courses and prerequisite, in two queries."""
    courses = CoursePage.objects.only("id", "title", "translation_key")
    return (
        CertificationProgramme.objects.filter(is_active=True)
        .select_related("prerequisite")
        .prefetch_related(Prefetch("required_courses", queryset=courses))
    )


def format_number(value) -> str:
    value = Decimal(value).normalize()
    return f"{value:f}"


def course_titles(programmes) -> dict[str, str]:
    """The title of each required course in the current language, falling back to the page the programme names."""
    titles = {}
    for programme in programmes:
        for course in programme.required_courses.all():
            titles[str(course.translation_key)] = course.title
    if titles:
        localised = CoursePage.objects.filter(translation_key__in=list(titles), locale__language_code=get_language())
        titles.update({str(key): title for key, title in localised.values_list("translation_key", "title")})
    return titles


def judge(programme: CertificationProgramme, record: TeacherRecord, titles: dict, today: date) -> Eligibility:
    """Every requirement of ``programme`` for the teacher described by ``record``, in memory."""
    requirements = []
    required_keys = {str(course.translation_key) for course in programme.required_courses.all()}
    if required_keys:
        done = required_keys & record.completed_courses.keys()
        missing = tuple(sorted(titles.get(key, "") for key in required_keys - done))
        requirements.append(
            Requirement(
                Kind.COURSES,
                _("Required courses completed"),
                met=not missing,
                detail=_("%(done)s of %(total)s courses") % {"done": len(done), "total": len(required_keys)},
                current=len(done),
                required=len(required_keys),
                missing=missing,
            )
        )
    if programme.minimum_hours:
        hours = record.hours
        requirements.append(
            Requirement(
                Kind.HOURS,
                _("Study hours (online and workshops)"),
                met=hours >= programme.minimum_hours,
                detail=_("%(current)s of %(required)s hours")
                % {"current": format_number(hours), "required": format_number(programme.minimum_hours)},
                current=hours,
                required=programme.minimum_hours,
            )
        )
    if programme.minimum_score is not None:
        score = record.score_for(required_keys)
        requirements.append(
            Requirement(
                Kind.SCORE,
                _("Average score"),
                met=score is not None and score >= programme.minimum_score,
                detail=(
                    _("%(current)s%% of %(required)s%% required")
                    % {"current": format_number(score), "required": format_number(programme.minimum_score)}
                    if score is not None
                    else _("No scored activity yet; %(required)s%% required")
                    % {"required": format_number(programme.minimum_score)}
                ),
                current=score,
                required=programme.minimum_score,
            )
        )
    if programme.prerequisite_id:
        held = record.holds_valid(programme.prerequisite_id, today)
        requirements.append(
            Requirement(
                Kind.PREREQUISITE,
                _("Certificate held: %(programme)s") % {"programme": programme.prerequisite.name},
                met=held,
                detail=_("Held and valid") if held else _("Not held yet"),
            )
        )
    if programme.minimum_community_sessions:
        attended = record.community_sessions
        requirements.append(
            Requirement(
                Kind.COMMUNITY_SESSIONS,
                _("Community sessions attended"),
                met=attended >= programme.minimum_community_sessions,
                detail=_("%(current)s of %(required)s sessions")
                % {"current": attended, "required": programme.minimum_community_sessions},
                current=attended,
                required=programme.minimum_community_sessions,
            )
        )
    return Eligibility(programme, tuple(requirements), record.current_certificates.get(programme.pk))


def evaluate_all(user, programmes=None, *, record: TeacherRecord | None = None, titles=None) -> list[Eligibility]:
    """Eligibility of ``user`` for every open programme (or the given ones), in a constant number of queries.

    A caller evaluating many teachers passes ``programmes``, each teacher's ``record`` and the course ``titles``
    (:func:`course_titles`), read once for all of them."""
    programmes = list(active_programmes() if programmes is None else programmes)
    record = record or TeacherRecord.load(user)
    titles = course_titles(programmes) if titles is None else titles
    today = timezone.localdate()
    return [judge(programme, record, titles, today) for programme in programmes]


def evaluate_eligibility(user, programme: CertificationProgramme) -> Eligibility:
    """Every requirement of ``programme`` for ``user``, met or not, with the numbers ("12 of 18 hours")."""
    return evaluate_all(user, [programme])[0]
