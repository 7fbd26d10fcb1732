"""Learning progress: which modules a teacher has completed, how far each course is, and their study hours.

Progress is recorded against the default-language pages (see ``courses.models.pages.canonical``), so a teacher
who switches language keeps their place. ``Enrolment.progress_percent`` and ``completed_at`` are denormalised
from ``ModuleProgress`` and are rewritten in the same transaction as the module progress they follow.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Length, Substr
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from .choices import Assurance, CompletionRule
from .enrolment import refusal_reason
from .learner_cache import learner_changed
from .models import Attendance, Enrolment, H5PAttempt, ModulePage, ModuleProgress, WorkshopPage
from .models.pages import canonical
from .signals import announce_progress

HOURS = Decimal("0.1")
PAGE_PATH_STEP = 4  # treebeard's steplen: a page's parent path is its own minus four characters


def record_view(user, module: ModulePage) -> ModuleProgress:
    """Note that an enrolled learner opened ``module``; under the *viewed* rule that completes it.

    A module page calls this on every view of an enrolled learner, so a view already recorded costs one query and
    a first view a few more: the row is inserted with ``ON CONFLICT`` (two first views at once make one row) and
    the enrolment is recounted by one UPDATE.
    """
    module = canonical(module)
    progress = ModuleProgress.objects.filter(user=user, module=module).first()
    viewed_completes = module.completion_rule == CompletionRule.VIEWED
    if progress is not None:
        if viewed_completes and not progress.is_completed:
            evaluate_module(user, module)
            progress.refresh_from_db()
        return progress
    course = module.course
    if not viewed_completes:
        # Another request may have recorded the view, or an attempt, since: theirs stands.
        first_view = ModuleProgress(user=user, module=module, course=course)
        ModuleProgress.objects.bulk_create([first_view], ignore_conflicts=True)
        learner_changed(user.pk)
        return ModuleProgress.objects.get(user=user, module=module)
    progress = ModuleProgress(
        user=user,
        module=module,
        course=course,
        status=ModuleProgress.Status.COMPLETED,
        completed_at=timezone.now(),
        assurance=Assurance.VIEWED,
    )
    with transaction.atomic():
        # On a conflict the row was inserted at the same instant (by another view, or an xAPI statement): viewing
        # completes it all the same, and an update returns its id where an ignored conflict would not.
        ModuleProgress.objects.bulk_create(
            [progress],
            update_conflicts=True,
            unique_fields=["user", "module"],
            update_fields=["status", "completed_at", "assurance"],
        )
        _recount_enrolment(user, course)
    # A bulk insert and an UPDATE send no post_save.
    learner_changed(user.pk)
    announce_progress(user)
    return progress


@dataclass(frozen=True)
class ModuleResult:
    """What a learner's counted (unflagged, finished) attempts show of a module.

    ``rows``: each package's best checked percentage and the best level at which it was completed, ``(package id,
    best percent or None, completed level or None)`` as ``best_attempts`` gives them. ``score`` is the lowest of
    the activities' best percentages (each activity must reach the pass mark), from scores the server checked only:
    a score the browser alone reports proves nothing. ``completed_at`` is the level at which every activity was
    completed (the weakest activity's best level), None while one is not.
    """

    score: Decimal | None
    completed_at: int | None

    @property
    def all_completed(self):
        return self.completed_at is not None


def module_result(module: ModulePage, attempts) -> ModuleResult:
    package_ids = module.h5p_package_ids
    best, completed = {}, {}
    for package_id, percent, completed_level in attempts:
        if package_id not in package_ids:
            continue
        if completed_level is not None:
            completed[package_id] = int(completed_level)
        if percent is not None:
            best[package_id] = Decimal(str(percent))
    if not package_ids:
        return ModuleResult(None, None)
    score = min(best.get(package_id, Decimal(0)) for package_id in package_ids)
    levels = [completed.get(package_id) for package_id in package_ids]
    return ModuleResult(
        score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), None if None in levels else min(levels)
    )


def best_attempts(user, module: ModulePage):
    """``(package id, best checked percent, best completed level)`` per package of ``user``'s counted attempts at
    ``module``.

    One row per package, counted by the database: a learner who answers a question hundreds of times has hundreds
    of attempts, and every statement that closes one re-derives the module's score.
    """
    checked_percent = Case(
        When(
            max_score__gt=0,
            assurance__gte=Assurance.CHECKED,
            # In floating point: SQLite keeps a whole-number decimal as an integer, and would divide as integers.
            then=ExpressionWrapper(
                Cast("raw_score", FloatField()) * 100.0 / Cast("max_score", FloatField()), output_field=FloatField()
            ),
        ),
        default=None,
    )
    completed_level = Case(When(completed=True, then=F("assurance")), default=None)
    return (
        H5PAttempt.objects.filter(user=user, module=module, flagged=False, finished_at__isnull=False)
        .order_by()
        .values("package_id")
        .annotate(best=Max(checked_percent), completed_level=Max(completed_level))
        .values_list("package_id", "best", "completed_level")
    )


def proven_assurance(module: ModulePage, result: ModuleResult) -> int | None:
    """The level at which ``module`` is complete by its rule, or None when it is not complete."""
    rule = CompletionRule(module.completion_rule)
    if rule == CompletionRule.VIEWED:
        return Assurance.VIEWED
    if rule == CompletionRule.QUIZ_PASSED:
        # Only the server-scored quiz completes such a module (``record_assessed_result``), never H5P statements.
        return None
    if not result.all_completed:
        return None
    if rule == CompletionRule.H5P_COMPLETED:
        return result.completed_at
    if result.score is not None and result.score >= module.pass_mark:
        return max(Assurance.CHECKED, result.completed_at)
    return None


@dataclass(frozen=True)
class _Evaluation:
    """What a learner's attempts prove of a module against their stored progress, and whether it must be written."""

    score: Decimal | None
    level: int | None
    newly_completed: bool
    stronger: bool
    changes: bool


def _evaluate(user, module: ModulePage, progress: ModuleProgress) -> _Evaluation:
    result = module_result(module, best_attempts(user, module))
    score = result.score if module.completion_rule != CompletionRule.QUIZ_PASSED else progress.best_score
    level = proven_assurance(module, result)
    newly_completed = progress.status != ModuleProgress.Status.COMPLETED and level is not None
    # A later attempt may prove more than the one that completed the module (a checked score after a report).
    stronger = level is not None and (progress.assurance or 0) < level
    changes = newly_completed or stronger or progress.best_score != score
    return _Evaluation(score, level, newly_completed, stronger, changes)


def settle_module(user, module_id, attempt: H5PAttempt, progress: ModuleProgress) -> None:
    """Re-derive ``user``'s progress in a default-language module after ``attempt`` closed there, if it may change.

    Called after the attempt's transaction committed, with the progress as read at any time before (under the
    intake's lock). What the attempts prove only grows (they are only added, a finished one never changes, and the
    progress is only written by ``evaluate_module``, from every attempt committed when it took the lock), so the
    progress only grows too. An attempt that proves no more than a completed progress already shows (its checked
    percentage at most the module's score, which is the lowest of the packages' best; its completion level at most
    the progress's) can change no package's best nor the module's result, now or later: nothing is read or written
    for it. Anything else is re-derived from all the attempts by ``evaluate_module``, which writes only a change.
    """
    if progress.is_completed and not _proves_more(attempt, progress):
        return
    evaluate_module(user, ModulePage.objects.get(pk=module_id))


def _proves_more(attempt: H5PAttempt, progress: ModuleProgress) -> bool:
    """Whether one counted attempt may raise a completed progress (the per-attempt terms of ``best_attempts``)."""
    if attempt.completed and attempt.assurance > (progress.assurance or 0):
        return True
    if attempt.assurance < Assurance.CHECKED or not attempt.max_score:
        return False
    percent = Decimal(attempt.raw_score) * 100 / Decimal(attempt.max_score)
    return progress.best_score is None or percent > progress.best_score


@transaction.atomic
def evaluate_module(user, module: ModulePage) -> ModuleProgress:
    """Re-derive ``user``'s progress in ``module`` from their attempts, and the course's from that.

    Completion is never taken back: a later, worse attempt does not undo a module that was passed.
    """
    module = canonical(module)
    progress = ModuleProgress.objects.select_for_update().filter(user=user, module=module).first()
    if progress is None:
        course = module.course
        progress, _created = ModuleProgress.objects.select_for_update().get_or_create(
            user=user, module=module, defaults={"course": course}
        )
    evaluation = _evaluate(user, module, progress)
    if not evaluation.changes:
        # Nothing to write: saving would also retire every cached page and answer about the learner.
        return progress
    progress.best_score = evaluation.score
    if evaluation.newly_completed:
        progress.status = ModuleProgress.Status.COMPLETED
        progress.completed_at = timezone.now()
    if evaluation.stronger:
        progress.assurance = evaluation.level
    progress.save(update_fields=["best_score", "status", "completed_at", "assurance"])
    if evaluation.newly_completed:
        _recount_enrolment(user, progress.course)
        # One announcement covers the course too: certification re-evaluates the whole teacher.
        announce_progress(user)
    return progress


def record_assessed_result(user, module: ModulePage, score: Decimal, passed: bool) -> ModuleProgress:
    """Record a server-scored result (a quiz) for ``user`` in ``module``: its score, and completion if it passed
    under the *quiz passed* rule. Completion is never taken back here: a regraded attempt that no longer passes is
    told to the learner by the app that scored it.
    """
    completes = passed and module.completion_rule == CompletionRule.QUIZ_PASSED
    return _record_result(user, module, score, completes, Assurance.ASSESSED)


def record_reported_result(user, module: ModulePage, score: Decimal | None, completed: bool) -> ModuleProgress:
    """Record what a SCORM package reported for ``user`` in ``module`` (``courses.scorm.tracking``): its score and,
    when its rule is met, completion at the *reported* level. Never taken back, and the best score never lowered:
    a SCO's data is a snapshot its next commit replaces (a quiz taken again in the same attempt)."""
    completes = completed and CompletionRule(module.completion_rule).is_scorm
    # A package commits every few seconds: a result that changes nothing writes and announces nothing.
    return _record_result(user, module, score, completes, Assurance.REPORTED, skip_unchanged=True, keep_best=True)


@transaction.atomic
def _record_result(
    user, module, score, completes, assurance, *, skip_unchanged=False, keep_best=False
) -> ModuleProgress:
    module = canonical(module)
    course = module.course
    progress, _created = ModuleProgress.objects.select_for_update().get_or_create(
        user=user, module=module, defaults={"course": course}
    )
    if keep_best and progress.best_score is not None and (score is None or score < progress.best_score):
        score = progress.best_score
    newly_completed = completes and not progress.is_completed
    if skip_unchanged and progress.best_score == score and not newly_completed:
        return progress
    progress.best_score = score
    if newly_completed:
        progress.status = ModuleProgress.Status.COMPLETED
        progress.completed_at = timezone.now()
        progress.assurance = assurance
    progress.save(update_fields=["best_score", "status", "completed_at", "assurance"])
    if newly_completed:
        _recount_enrolment(user, course)
    learner_changed(user.pk)
    announce_progress(user)
    return progress


def _recount_enrolment(user, course) -> bool:
    """Rewrite the denormalised percentage and completion date of ``user``'s enrolment in ``course`` in one UPDATE
    counted by the database; False when they are not enrolled. Runs inside the caller's transaction.

    The enrolment row is locked first, so that the UPDATE's counts (read after the lock) include the modules that
    another transaction completed while this one waited: two completions at once never lose one.
    """
    locked = Enrolment.objects.select_for_update().filter(user=user, course=course).values_list("pk", flat=True)
    if locked.first() is None:
        return False
    live_modules = ModulePage.objects.child_of(course).live().order_by()
    total = Coalesce(
        Subquery(live_modules.values("depth").annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
    )
    done = Coalesce(
        Subquery(
            ModuleProgress.objects.filter(
                user=user, status=ModuleProgress.Status.COMPLETED, module__in=live_modules.values("pk")
            )
            .order_by()
            .values("user")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    has_modules = GreaterThan(total, 0)
    Enrolment.objects.filter(user=user, course=course).update(
        progress_percent=Case(
            When(has_modules, then=ExpressionWrapper(100 * done / total, output_field=IntegerField())), default=0
        ),
        # A course, once completed, stays completed: certificates may already rest on it.
        completed_at=Case(
            When(Q(completed_at__isnull=True) & Q(has_modules) & Q(Exact(done, total)), then=Value(timezone.now())),
            default=F("completed_at"),
        ),
    )
    return True


@transaction.atomic
def refresh_enrolment(user, course) -> Enrolment | None:
    """Recompute the denormalised percentage and completion date of ``user``'s enrolment in ``course``."""
    if not _recount_enrolment(user, course):
        return None
    return Enrolment.objects.get(user=user, course=course)


@dataclass(frozen=True)
class StudyHours:
    course_hours: Decimal
    attended_hours: Decimal

    @property
    def total(self):
        return self.course_hours + self.attended_hours


def live_modules_by_course(course_paths, completed_by=None):
    """``{course path: [ModulePage]}`` for the live modules of the courses at ``course_paths``, in one query.

    With ``completed_by``, each module carries ``is_done``: whether that user has completed it.
    """
    modules = {path: [] for path in course_paths}
    queryset = (
        ModulePage.objects.live()
        .annotate(parent_path=Substr("path", 1, Length("path") - PAGE_PATH_STEP))
        .filter(parent_path__in=list(course_paths))
        .only("title", "slug", "url_path", "path", "depth", "locale_id", "translation_key", "live")
        .order_by("path")
    )
    if completed_by is not None:
        queryset = queryset.annotate(
            is_done=Exists(
                ModuleProgress.objects.filter(
                    user=completed_by, module=OuterRef("pk"), status=ModuleProgress.Status.COMPLETED
                )
            )
        )
    for module in queryset:
        modules[module.parent_path].append(module)
    return modules


def _learning_record(user):
    """Every enrolment of ``user`` (active or not) with its course's live modules, and the hours they earned.

    Progress exists only under an enrolment, so this covers every completed module. Three queries.
    """
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("course", "course__cover_image")
        .order_by("completed_at", "-enrolled_at")
    )
    modules = live_modules_by_course({e.course.path for e in enrolments}, completed_by=user)
    course_hours = Decimal(0)
    for enrolment in enrolments:
        course_modules = modules[enrolment.course.path]
        done = sum(1 for module in course_modules if module.is_done)
        if done:
            course_hours += Decimal(enrolment.course.study_hours) * done / len(course_modules)
    attended = Attendance.objects.filter(user=user).aggregate(hours=Sum("session__hours"))["hours"] or Decimal(0)
    hours = StudyHours(course_hours.quantize(HOURS, rounding=ROUND_HALF_UP), Decimal(attended))
    return enrolments, modules, hours


def study_hours(user) -> StudyHours:
    """A module's share of its course's hours for each completed module, and the hours of attended sessions."""
    return _learning_record(user)[2]


def progress_by_translation_key(user, modules):
    """``{translation key: ModuleProgress}`` for ``modules`` in any language."""
    if not user.is_authenticated or not modules:
        return {}
    rows = ModuleProgress.objects.filter(
        user=user, module__translation_key__in=[m.translation_key for m in modules]
    ).select_related("module")
    return {row.module.translation_key: row for row in rows}


def course_overview(course, user):
    """What a course page shows: its modules with the reader's progress, trainers, workshops and enrolment."""
    source = canonical(course)
    modules = list(course.modules().defer_streamfields())
    progress = progress_by_translation_key(user, modules)
    enrolment = None
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(user=user, course=source).first()
    enrolled = enrolment is not None and enrolment.status == Enrolment.Status.ACTIVE
    module_rows = [{"page": module, "progress": progress.get(module.translation_key)} for module in modules]
    next_module = next(
        (row["page"] for row in module_rows if not (row["progress"] and row["progress"].is_completed)), None
    )
    trainers = list(source.trainers.select_related("teacher_profile"))
    return {
        "modules": module_rows,
        "enrolment": enrolment,
        "is_enrolled": enrolled,
        "next_module": next_module if enrolled else None,
        "trainers": trainers,
        "is_trainer": user.is_authenticated and any(t.pk == user.pk for t in trainers),
        "prerequisites": list(course.prerequisites.live()),
        "workshops": list(WorkshopPage.objects.child_of(course).live().select_related("session")),
        "refusal": refusal_reason(user, source) if user.is_authenticated and not enrolled else "",
    }


def module_overview(module, user):
    """What a module page shows: whether the reader may see it, their progress, and the neighbouring modules."""
    course = module.course
    siblings = list(ModulePage.objects.child_of(course).live().order_by("path").only("title", "url_path", "path"))
    index = next((i for i, sibling in enumerate(siblings) if sibling.pk == module.pk), 0)
    enrolled = (
        user.is_authenticated
        and user.is_active
        and Enrolment.objects.filter(user=user, course=canonical(course), status=Enrolment.Status.ACTIVE).exists()
    )
    # An enrolled learner may see the module: the trainer and staff checks are only for everyone else.
    can_view = enrolled or module.is_visible_to(user)
    progress = record_view(user, module) if enrolled else None
    return {
        "course": course,
        "can_view": can_view,
        "progress": progress,
        "previous_module": siblings[index - 1] if index > 0 else None,
        "next_module": siblings[index + 1] if index + 1 < len(siblings) else None,
        "module_number": index + 1,
        "module_count": len(siblings),
    }


def dashboard(user):
    """The teacher's *My learning*: enrolled courses with progress and the next module, hours, completed courses.

    A fixed number of queries whatever the number of enrolments.
    """
    enrolments, modules, hours = _learning_record(user)
    rows = []
    for enrolment in enrolments:
        if enrolment.status != Enrolment.Status.ACTIVE:
            continue
        course_modules = modules[enrolment.course.path]
        rows.append(
            {
                "enrolment": enrolment,
                "course": enrolment.course,
                "next_module": next((m for m in course_modules if not m.is_done), None),
                "modules_done": sum(1 for m in course_modules if m.is_done),
                "module_count": len(course_modules),
            }
        )
    _in_reader_language(rows)
    return {
        "in_progress": [row for row in rows if row["enrolment"].completed_at is None],
        "completed": [row for row in rows if row["enrolment"].completed_at is not None],
        "hours": hours,
    }


def _in_reader_language(rows):
    """Swap the default-language course and module pages of dashboard rows for their translations, in one query."""
    language = get_language()
    if not rows or language == get_supported_content_language_variant(settings.LANGUAGE_CODE):
        return
    keys = {row["course"].translation_key for row in rows}
    keys |= {row["next_module"].translation_key for row in rows if row["next_module"]}
    translations = {
        page.translation_key: page
        for page in Page.objects.live()
        .filter(locale__language_code=language, translation_key__in=keys)
        .only("title", "url_path", "path", "depth", "translation_key", "locale_id")
    }
    for row in rows:
        row["course"] = translations.get(row["course"].translation_key, row["course"])
        if row["next_module"]:
            row["next_module"] = translations.get(row["next_module"].translation_key, row["next_module"])
