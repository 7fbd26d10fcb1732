"""Who may have which certificate: every requirement of a programme, met or not, with the numbers behind it.

Everything about a teacher that a requirement needs is read once into a :class:`TeacherRecord` (one query, whatever
the number of programmes, and the same query for a thousand teachers), then each programme is judged from it in
memory by :func:`judge`, the one implementation of the rules. The open programmes are read once per process and
again only when a programme, a requirement or a course changes (:func:`catalogue`). Progress, hours and
attendance come from ``courses`` (attendance from :class:`courses.models.Attendance`, community sessions included,
since community sessions use the same mechanism); never from ``community``.

Courses exist once per language (Wagtail translations share a ``translation_key``); a course completed in English
counts for a programme that names its Chinese page, so courses are compared by translation key.
"""

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    UUIDField,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.generations import current_token, replace_token
from courses.choices import Assurance
from courses.models import Attendance, CoursePage, Enrolment, ModuleProgress, TrainingSession
from feedback.models import Submission
from resources.choices import Status as ResourceStatus
from resources.models import Resource

from ..models import Certificate, CertificationProgramme, ModuleRequirement


class Kind:
    COURSES = "courses"
    HOURS = "hours"
    SCORE = "score"
    PREREQUISITE = "prerequisite"
    COMMUNITY_SESSIONS = "community_sessions"
    RESOURCES = "resources"
    MODULE = "module"


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
    certificate: "HeldCertificate | None" = None

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


@dataclass(frozen=True)
class HeldCertificate:
    """The current certificate of a teacher for a programme, as far as eligibility and its checklist need it."""

    serial: str
    status: str
    valid_until: date | None

    def is_valid(self, today: date) -> bool:
        return self.status == Certificate.Status.ISSUED and (self.valid_until is None or self.valid_until >= today)


class Fact:
    """What a row of the teacher query says (its first column after the teacher's id)."""

    COMPLETED = "completed"
    ATTENDED = "attended"
    SCORED = "scored"
    CERTIFICATE = "certificate"
    MODULE = "module"
    AWAITING_FEEDBACK = "awaiting_feedback"
    RESOURCE = "resource"


# The columns of the teacher query after (user id, fact); each fact fills only some of them.
FACT_COLUMNS = {
    "course_key": UUIDField(),
    "text": CharField(),
    "serial": CharField(),
    "amount": DecimalField(max_digits=6, decimal_places=2),
    "moment": DateTimeField(),
    "day": DateField(),
    "programme_id": IntegerField(),
}


def _fact_rows(queryset, fact, **paths):
    columns = {
        # In their declared type: PostgreSQL matches the queries' column types left to right (an untyped NULL is
        # text), and the first query's columns decide how every row is converted.
        f"fact_{name}": ExpressionWrapper(F(paths[name]), output_field=output)
        if name in paths
        else Cast(Value(None), output_field=output)
        for name, output in FACT_COLUMNS.items()
    }
    columns = {"fact": Value(fact, output_field=CharField()), **columns}
    return queryset.order_by().annotate(**columns).values_list("user_id", *columns)


@functools.cache
def _fact_queries():
    """The parts of the teacher query, built once per process (building them costs more CPU than running
    the query for one teacher); each use filters copies of them."""
    completed = _fact_rows(
        Enrolment.objects.filter(completed_at__isnull=False),
        Fact.COMPLETED,
        course_key="course__translation_key",
        amount="course__study_hours",
        moment="completed_at",
    )
    attended = _fact_rows(
        Attendance.objects.all(),
        Fact.ATTENDED,
        text="session__kind",
        amount="session__hours",
        moment="session__ends_at",
    )
    scored = _fact_rows(
        ModuleProgress.objects.filter(best_score__isnull=False),
        Fact.SCORED,
        course_key="course__translation_key",
        amount="best_score",
    )
    held = _fact_rows(
        Certificate.objects.filter(is_current=True),
        Fact.CERTIFICATE,
        text="status",
        serial="serial",
        day="valid_until",
        programme_id="programme_id",
    )
    # Completed modules with what their completion proves, for programmes that name modules and a level.
    modules = _fact_rows(
        ModuleProgress.objects.filter(status=ModuleProgress.Status.COMPLETED, assurance__isnull=False),
        Fact.MODULE,
        course_key="module__translation_key",
        amount="assurance",
    )
    awaiting_feedback = _fact_rows(
        Attendance.objects.filter(
            session__kind=TrainingSession.Kind.WORKSHOP, session__feedback_survey__isnull=False
        ).exclude(Exists(Submission.objects.filter(survey__session=OuterRef("session"), user=OuterRef("user")))),
        Fact.AWAITING_FEEDBACK,
        amount="session__hours",
    )
    # Accepted teaching resources, once for their author and once for each co-author.
    authored = _fact_rows(
        Resource.objects.filter(status=ResourceStatus.ACCEPTED).annotate(user_id=F("author_id")), Fact.RESOURCE
    )
    co_authored = _fact_rows(
        Resource.co_authors.through.objects.filter(resource__status=ResourceStatus.ACCEPTED), Fact.RESOURCE
    )
    return completed, attended, scored, held, modules, awaiting_feedback, authored, co_authored


def _facts(user_ids):
    """Everything about the given teachers that a requirement needs, as the rows of one UNION ALL query."""
    first, *others = (query.filter(user_id__in=user_ids) for query in _fact_queries())
    return first.union(*others, all=True)


@dataclass
class TeacherRecord:
    """What certification needs to know about one teacher, read in one query (for one teacher or for thousands)."""

    completed_courses: dict[str, CompletedCourse] = field(default_factory=dict)
    workshops: list[tuple[Decimal, datetime]] = field(default_factory=list)
    community_sessions: int = 0
    best_scores: dict[str, list[Decimal]] = field(default_factory=lambda: defaultdict(list))
    current_certificates: dict[int, HeldCertificate] = field(default_factory=dict)
    # {module translation key: the highest level at which it was completed, in any language}
    module_levels: dict[str, int] = field(default_factory=dict)
    # Workshop hours whose feedback questionnaire the teacher has not answered (counted only where a programme asks).
    awaiting_feedback_hours: Decimal = Decimal(0)
    accepted_resources: int = 0

    @classmethod
    def load(cls, user) -> "TeacherRecord":
        return cls.load_many([user.pk])[user.pk]

    @classmethod
    def load_many(cls, user_ids) -> dict[int, "TeacherRecord"]:
        """Records of many teachers in the same single query as one; a teacher with no activity gets an empty one.

        The rows are plain tuples grouped in Python, never model instances: re-evaluating everyone reads thousands of
        teachers per query."""
        records = {user_id: cls() for user_id in user_ids}
        if not records:
            return records
        for user_id, fact, course_key, text, serial, amount, moment, day, programme_id in _facts(list(records)):
            record = records[user_id]
            if fact == Fact.COMPLETED:
                # A course completed in two languages counts once, from its first completion.
                known = record.completed_courses.get(str(course_key))
                if known is None or moment < known.completed_at:
                    record.completed_courses[str(course_key)] = CompletedCourse(amount, moment)
            elif fact == Fact.ATTENDED:
                if text == TrainingSession.Kind.COMMUNITY:
                    record.community_sessions += 1
                else:
                    record.workshops.append((amount, moment))
            elif fact == Fact.SCORED:
                record.best_scores[str(course_key)].append(amount)
            elif fact == Fact.MODULE:
                key = str(course_key)
                record.module_levels[key] = max(record.module_levels.get(key, 0), int(amount))
            elif fact == Fact.AWAITING_FEEDBACK:
                record.awaiting_feedback_hours += amount
            elif fact == Fact.RESOURCE:
                record.accepted_resources += 1
            else:
                record.current_certificates[programme_id] = HeldCertificate(serial, text, day)
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
        return certificate is not None and certificate.is_valid(today)


def active_programmes():
    """Open programmes with their required courses and prerequisite, in two queries."""
    courses = CoursePage.objects.only("id", "title", "translation_key")
    module_requirements = ModuleRequirement.objects.select_related("module").only(
        "programme_id", "assurance", "sort_order", "module__title", "module__translation_key"
    )
    return (
        CertificationProgramme.objects.filter(is_active=True)
        .select_related("prerequisite")
        .prefetch_related(
            Prefetch("required_courses", queryset=courses),
            Prefetch("module_requirements", queryset=module_requirements),
        )
    )


GENERATION_KEY = "certification:programmes:generation"


def programmes_changed(using=None, **kwargs):
    """Receiver of every change to a programme, its required courses or a course page: each process reads the
    programmes again on its next evaluation.

    The generation is replaced at once and again when the change commits: an evaluation in another request between
    the two reads the rows as they were and keeps them under the first new generation, which the second retires.
    """
    replace_token(GENERATION_KEY, using=using)


def _generation() -> str | None:
    return current_token(GENERATION_KEY)


@dataclass
class Catalogue:
    """The open programmes as this process last read them, and their course titles by language."""

    generation: str | None
    programmes: list[CertificationProgramme]
    titles: dict[str, dict[str, str]] = field(default_factory=dict)

    def titles_in(self, language: str | None) -> dict[str, str]:
        if language not in self.titles:
            self.titles[language] = course_titles(self.programmes)
        return self.titles[language]


_catalogue = Catalogue("", [])


def catalogue() -> Catalogue:
    """The open programmes, read from the database only when a programme, a requirement or a course changed since
    (one cache look-up for the generation otherwise). Read-only: the objects are shared by every evaluation."""
    global _catalogue
    generation = _generation()
    if generation is None or generation != _catalogue.generation:
        _catalogue = Catalogue(generation, list(active_programmes()))
    return _catalogue


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
        withheld = record.awaiting_feedback_hours if programme.hours_need_feedback else Decimal(0)
        hours = record.hours - withheld
        detail = _("%(current)s of %(required)s hours") % {
            "current": format_number(hours),
            "required": format_number(programme.minimum_hours),
        }
        if withheld:
            detail += " " + _(
                "(%(hours)s more hours count once you answer the workshops' feedback questionnaires)"
            ) % {"hours": format_number(withheld)}
        requirements.append(
            Requirement(
                Kind.HOURS,
                _("Study hours (online and workshops)"),
                met=hours >= programme.minimum_hours,
                detail=detail,
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
    if programme.minimum_accepted_resources:
        accepted = record.accepted_resources
        requirements.append(
            Requirement(
                Kind.RESOURCES,
                _("Teaching resources accepted"),
                met=accepted >= programme.minimum_accepted_resources,
                detail=_("%(current)s of %(required)s resources")
                % {"current": accepted, "required": programme.minimum_accepted_resources},
                current=accepted,
                required=programme.minimum_accepted_resources,
            )
        )
    for needed in programme.module_requirements.all():
        requirements.append(_module_requirement(needed, record))
    return Eligibility(programme, tuple(requirements), record.current_certificates.get(programme.pk))


def _module_requirement(needed, record: TeacherRecord) -> Requirement:
    """One module a programme names: completed, and at the level the programme asks of its completion."""
    level = record.module_levels.get(str(needed.module.translation_key))
    required = Assurance(needed.assurance)
    if level is None:
        detail = _("Not completed yet; needs: %(required)s") % {"required": required.label}
    else:
        detail = _("Completed: %(level)s; needs: %(required)s") % {
            "level": Assurance(level).label,
            "required": required.label,
        }
    return Requirement(
        Kind.MODULE,
        _("Module: %(module)s") % {"module": needed.module.title},
        met=level is not None and level >= required,
        detail=detail,
        current=level,
        required=int(required),
    )


def evaluate_all(user, programmes=None, *, record: TeacherRecord | None = None, titles=None) -> list[Eligibility]:
    """Eligibility of ``user`` for every open programme (or the given ones).

    The open programmes and their course titles come from the per-process :func:`catalogue`, so a teacher costs
    one query (the record) once the catalogue is warm. A caller evaluating many teachers passes each one's
    ``record`` (:meth:`TeacherRecord.load_many`)."""
    if programmes is None:
        current = catalogue()
        programmes = current.programmes
        titles = current.titles_in(get_language()) if titles is None else titles
    else:
        programmes = list(programmes)
        titles = course_titles(programmes) if titles is None else titles
    record = record or TeacherRecord.load(user)
    today = timezone.localdate()
    return [judge(programme, record, titles, today) for programme in programmes]


def evaluate_eligibility(user, programme: CertificationProgramme) -> Eligibility:
    """Every requirement of ``programme`` for ``user``, met or not, with the numbers ("12 of 18 hours")."""
    return evaluate_all(user, [programme])[0]
