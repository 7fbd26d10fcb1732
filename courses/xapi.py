"""The intake of xAPI statements from the H5P player, checked before they become attempts and progress.

The player posts ``{"module_id": …, "package_id": …, "statement": {…}}``. A statement is stored only when:
the learner is actively enrolled in the module's course; the package is shown by the module; the statement's
object is that package (or a part of its content, by ``?subContentId=``); its verb is one we know; its score, if
any, is a pair of finite numbers with 0 ≤ raw ≤ max. The actor it claims is ignored: the statement is the
session user's. A statement id is stored once; a replay changes nothing.

Attempts follow Moodle's ``mod_h5pactivity``: a top-level ``attempted`` opens an attempt, statements from
sub-content attach to the current one, and a top-level statement with a result closes it. Where the content
type allows it, the score the browser claims is re-computed from the package's own answers
(``courses.h5p.scoring``); a statement whose score does not match is stored, flagged, and not counted. Each
statement and attempt records what it proves (``courses.choices.Assurance``): *checked* when its score was
recomputed and matched, *reported* otherwise (no score, or a content type the server cannot re-score); a rule
with a pass mark counts checked scores only.
"""

import json
import math
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from . import learner_cache
from .choices import Assurance
from .enrolment import passes_view_restrictions
from .h5p.player import is_activity_of
from .h5p.scoring import ImpossibleResponse, find_sub_content, rescore_statement, sub_content_id
from .models import Enrolment, H5PAttempt, H5PPackage, ModulePage, ModuleProgress, XAPIStatement
from .models.pages import canonical
from .progress import PAGE_PATH_STEP, settle_module

MAX_BODY_BYTES = 64 * 1024
MAX_SCORE = Decimal("999999.99")  # what H5PAttempt.raw_score/max_score can hold
RATE_WINDOW_SECONDS = 60
PACKAGE_CACHE_SECONDS = 3600
ACCESS_CACHE_SECONDS = 600
H5P_LIBRARY_CATEGORY = "http://h5p.org/libraries/"
ADL = "http://adlnet.gov/expapi/verbs/"
KNOWN_VERBS = frozenset(
    ADL + verb
    for verb in (
        "answered",
        "attempted",
        "completed",
        "consumed",
        "experienced",
        "failed",
        "interacted",
        "passed",
        "progressed",
        "scored",
    )
)
ATTEMPTED = ADL + "attempted"
CLOSING_VERBS = frozenset({ADL + "answered", ADL + "completed", ADL + "passed", ADL + "failed", ADL + "scored"})
ANSWERED = ADL + "answered"


class StatementRejected(Exception):
    """The statement is refused and nothing was stored; ``status`` is the HTTP status to answer with."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class IntakeResult:
    statement: XAPIStatement | None
    duplicate: bool = False

    @property
    def flagged(self):
        return bool(self.statement and self.statement.flagged)


def parse_body(body: bytes) -> dict:
    if len(body) > MAX_BODY_BYTES:
        raise StatementRejected(_("The statement is too large."), status=413)
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise StatementRejected(_("The body is not valid JSON.")) from error
    if not isinstance(payload, dict) or not isinstance(payload.get("statement"), dict):
        raise StatementRejected(_("The body must be an object with a statement."))
    return payload


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number xAPI allows")


def current_window() -> int:
    return int(timezone.now().timestamp()) // RATE_WINDOW_SECONDS


def rate_limit() -> int:
    """Statements per learner per window: the ``XAPI_STATEMENTS_PER_MINUTE`` setting."""
    return settings.XAPI_STATEMENTS_PER_MINUTE


def within_rate_limit(user, scope="xapi", limit=None) -> bool:
    """Count one request of ``scope`` (xAPI statements, SCORM commits) for ``user`` in the current window; False
    once the window's allowance (``limit``, the xAPI setting by default) is used."""
    key = f"courses:{scope}-rate:{user.pk}:{current_window()}"
    limit = rate_limit() if limit is None else limit
    # One round trip once the window has a count; its first request counts itself with ``add``.
    try:
        return cache.incr(key) <= limit
    except ValueError:
        if cache.add(key, 1, timeout=RATE_WINDOW_SECONDS * 2):
            return 1 <= limit
    try:
        return cache.incr(key) <= limit  # another request of the window's first instant added the key
    except ValueError:
        # The key expired in between: this request opens a fresh window.
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
        return True


def _positive_int(value, what):
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise StatementRejected(_("%(what)s is missing or not a number.") % {"what": what})
    try:
        number = int(value)
    except ValueError as error:
        raise StatementRejected(_("%(what)s is missing or not a number.") % {"what": what}) from error
    if number <= 0:
        raise StatementRejected(_("%(what)s is missing or not a number.") % {"what": what})
    return number


def _statement_id(statement):
    """The statement's id; the player gives each statement one, so a retried post is recognised and stored once."""
    if "id" not in statement:
        # H5P itself sends statements without an id; such a statement cannot be a replay we would recognise.
        return uuid.uuid4()
    try:
        return uuid.UUID(str(statement["id"]))
    except ValueError as error:
        raise StatementRejected(_("The statement has no valid id.")) from error


def _score(result):
    """``(raw, max)`` from ``result.score``, or ``(None, None)``; refuses anything but 0 ≤ raw ≤ max, finite."""
    score = result.get("score")
    if score is None:
        return None, None
    if not isinstance(score, dict):
        raise StatementRejected(_("The score is malformed."))
    raw, maximum = score.get("raw"), score.get("max")
    for value in (raw, maximum):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise StatementRejected(_("The score must be made of finite numbers."))
        if isinstance(value, float) and not math.isfinite(value):
            raise StatementRejected(_("The score must be made of finite numbers."))
    raw, maximum = Decimal(str(raw)), Decimal(str(maximum))
    if not (0 <= raw <= maximum) or maximum > MAX_SCORE:
        raise StatementRejected(_("The score must satisfy 0 ≤ raw ≤ max."))
    return raw, maximum


@dataclass(frozen=True)
class PackageFacts:
    """What the intake needs of a package; packages never change once stored, so these are cached."""

    id: int
    main_library: str
    content_hash: str
    content: dict


def package_facts(package_id) -> PackageFacts | None:
    key = f"courses:xapi-package:{package_id}"
    facts = cache.get(key)
    if facts is None:
        package = H5PPackage.objects.filter(pk=package_id).only("main_library", "content_hash", "content_json").first()
        if package is None:
            return None
        content = package.content_json if isinstance(package.content_json, dict) else {}
        facts = PackageFacts(package.pk, package.main_library, package.content_hash, content)
        cache.set(key, facts, PACKAGE_CACHE_SECONDS)
    return facts


def object_belongs_to_package(object_id, package: PackageFacts) -> bool:
    """Whether an xAPI object id names this package's activity, or a part of its content that exists."""
    if not isinstance(object_id, str) or len(object_id) > 500 or not is_activity_of(object_id, package):
        return False
    part = sub_content_id(object_id)
    if not part:
        return True
    if package.main_library == "IEA.Quiz":
        return any(isinstance(q, dict) and q.get("id") == part for q in package.content.get("questions") or [])
    return find_sub_content(package.content, part) is not None


def _library_matches(statement, package):
    """A top-level statement's H5P library category, when given, must be the package's main library."""
    context = statement.get("context")
    activities = context.get("contextActivities") if isinstance(context, dict) else None
    categories = activities.get("category") if isinstance(activities, dict) else None
    for category in categories if isinstance(categories, list) else []:
        category_id = category.get("id", "") if isinstance(category, dict) else ""
        if isinstance(category_id, str) and category_id.startswith(H5P_LIBRARY_CATEGORY):
            library = category_id[len(H5P_LIBRARY_CATEGORY) :].rsplit("-", 1)[0]
            if library != package.main_library:
                return False
    return True


def module_for(user, module_id, package_id, kind="h5p") -> int:
    """The id of the default-language module the learner may post ``package_id``'s statements (or, ``kind``
    "scorm", a SCORM package's commits) to.

    A granted access is cached under the learner's and the site's tokens (``courses.learner_cache``): enrolling,
    withdrawing or publishing a page replaces them. A refusal is not cached, so enrolling takes effect at once.
    """
    key = f"courses:{kind}-access:{user.pk}:{learner_cache.tokens(user.pk)}:{module_id}:{package_id}"
    canonical_id = cache.get(key)
    if canonical_id is None:
        canonical_id = _check_access(user, module_id, package_id, kind)
        cache.set(key, canonical_id, ACCESS_CACHE_SECONDS)
    return canonical_id


def _check_access(user, module_id, package_id, kind) -> int:
    module = (
        ModulePage.objects.live()
        .filter(pk=module_id)
        .only("body", "path", "depth", "translation_key", "locale_id")
        .first()
    )
    if module is None or package_id not in getattr(module, f"{kind}_package_ids"):
        raise StatementRejected(_("This activity is not part of that module."), status=404)
    course_path = module.path[:-PAGE_PATH_STEP]
    enrolled = Enrolment.objects.filter(
        Q(course__path=course_path) | Q(course__translation_key__in=_translation_key_of(course_path)),
        user=user,
        status=Enrolment.Status.ACTIVE,
    ).exists()
    if not enrolled:
        raise StatementRejected(_("You are not enrolled in this module's course."), status=403)
    # An enrolment made before the course was restricted to a group does not outlive the restriction.
    if not passes_view_restrictions(user, module):
        raise StatementRejected(_("This course is open only to some groups of teachers."), status=403)
    return canonical(module).pk


def _translation_key_of(path):
    return Page.objects.filter(path=path).values("translation_key")


def _question_set_responses(attempt):
    """The latest ``answered`` response of each sub-content in ``attempt``, for re-scoring a QuestionSet."""
    if attempt is None:
        return {}
    rows = (
        XAPIStatement.objects.filter(attempt=attempt, verb=ANSWERED, flagged=False)
        .exclude(sub_content_id="")
        .order_by("stored_at", "pk")
        .values_list("sub_content_id", "response")
    )
    return dict(rows)


def _scored_with_attempt(package, part) -> bool:
    """Whether re-scoring the statement needs its attempt's earlier answers: a QuestionSet's own, top-level one."""
    return not part and package.main_library == "H5P.QuestionSet"


def _check_score(statement, package, attempt) -> tuple[str, Assurance]:
    """A reason to flag the statement (``""`` when none), and what its result proves.

    A score the package gives for the statement's answers is *checked*; a statement without a score, or of a
    content type the server cannot re-score, is only *reported*: the browser's word, kept, and counted where a
    rule asks for no more.
    """
    result = statement.get("result") or {}
    if "score" not in result:
        return "", Assurance.REPORTED
    sub_responses = None
    if _scored_with_attempt(package, sub_content_id((statement.get("object") or {}).get("id"))):
        sub_responses = _question_set_responses(attempt)
    try:
        score = rescore_statement(package.content, package.main_library, statement, sub_responses)
    except ImpossibleResponse as error:
        reason = _("The response could not have come from this activity: %(reason)s.") % {"reason": error}
        return reason, Assurance.REPORTED
    if score is None:
        return "", Assurance.REPORTED
    if not score.matches(result["score"]):
        reason = _("The claimed score %(claimed)s/%(max)s is not what the answers give (%(real)s/%(real_max)s).") % {
            "claimed": result["score"].get("raw"),
            "max": result["score"].get("max"),
            "real": score.raw,
            "real_max": score.max,
        }
        return reason, Assurance.REPORTED
    return "", Assurance.CHECKED


def receive(user, payload: dict) -> IntakeResult:
    """Check one statement from ``user`` and record it; raises ``StatementRejected`` when it is refused."""
    statement = payload["statement"]
    statement_id = _statement_id(statement)
    verb = (statement.get("verb") or {}).get("id") if isinstance(statement.get("verb"), dict) else None
    if verb not in KNOWN_VERBS:
        raise StatementRejected(_("The verb is not one this platform records."))
    result = statement.get("result") or {}
    if not isinstance(result, dict):
        raise StatementRejected(_("The result is malformed."))
    raw, maximum = _score(result)
    module_id = _positive_int(payload.get("module_id"), _("The module"))
    package_id = _positive_int(payload.get("package_id"), _("The package"))
    module_id = module_for(user, module_id, package_id)
    package = package_facts(package_id)
    object_id = (statement.get("object") or {}).get("id") if isinstance(statement.get("object"), dict) else None
    if package is None or not object_belongs_to_package(object_id, package):
        raise StatementRejected(_("The statement's object is not this activity."))
    part = sub_content_id(object_id)
    if not part and not _library_matches(statement, package):
        raise StatementRejected(_("The statement's object is not this activity."))

    # The actor is the session's user, whatever the browser claims.
    statement = {
        **statement,
        "id": str(statement_id),
        "actor": {"objectType": "Agent", "account": {"name": str(user.pk)}},
    }
    closes = not part and (verb in CLOSING_VERBS or "completion" in result)
    try:
        return _record(user, module_id, package, statement, statement_id, verb, part, raw, maximum, closes)
    except IntegrityError:
        # The statement id is already stored: a replay, or the player retrying a post that did arrive (the whole
        # transaction, attempt included, is undone). Any other broken constraint is a fault, not a replay.
        if XAPIStatement.objects.filter(statement_id=statement_id).exists():
            return IntakeResult(None, duplicate=True)
        raise


def _lock_learner_module(user, module_id) -> ModuleProgress:
    """Lock the learner's progress row in the module (created if need be) until the transaction ends; return it.

    Every statement of one learner in one module takes this lock first, so attempts are numbered and closed one
    statement at a time: two statements at once can neither take the same attempt number nor both open one. What
    is done under it is kept to the attempt and the statement (see ``_record``): all of one learner's statements
    in a module wait for it in turn.
    """
    locked = ModuleProgress.objects.select_for_update().filter(user=user, module_id=module_id)
    locked = locked.only("status", "best_score", "assurance")
    progress = locked.first()
    if progress is None:
        # No view recorded yet (a statement posted without opening the page): the row to lock is made here.
        course = ModulePage.objects.get(pk=module_id).course
        ModuleProgress.objects.bulk_create(
            [ModuleProgress(user=user, module_id=module_id, course=course)], ignore_conflicts=True
        )
        learner_cache.learner_changed(user.pk)  # a bulk insert sends no post_save
        progress = locked.get()
    return progress


def _closing_fields(verb, result, raw, maximum, flag_reason, assurance) -> dict:
    """The attempt's fields a statement that closes it writes (``finished_at`` aside)."""
    return {
        "raw_score": raw,
        "max_score": maximum,
        "completed": result.get("completion") is True or verb in CLOSING_VERBS - {ANSWERED},
        "success": result.get("success") if isinstance(result.get("success"), bool) else None,
        "flagged": bool(flag_reason),
        "flag_reason": flag_reason,
        "assurance": assurance,
    }


def _statement_fields(user, module_id, package_id, statement, statement_id, verb, part, raw, maximum, scored):
    """The stored statement's fields, its attempt aside."""
    result = statement.get("result") or {}
    flag_reason, assurance = scored
    return {
        "statement_id": statement_id,
        "user": user,
        "module_id": module_id,
        "package_id": package_id,
        "verb": verb,
        "object_id": statement["object"]["id"],
        "sub_content_id": part[:64],
        "raw_score": raw,
        "max_score": maximum,
        "response": str(result.get("response", ""))[:10000],
        "flagged": bool(flag_reason),
        "flag_reason": flag_reason,
        "assurance": assurance,
        "payload": statement,
    }


def _record(user, module_id, package, statement, statement_id, verb, part, raw, maximum, closes):
    """Store the statement and its attempt; then, once committed, re-derive the module's progress if it closed one.

    The progress is re-derived after the commit, outside the learner's lock (``settle_module``), and only when
    the closed attempt may prove more than the progress read under the lock: while that is done the learner's
    next statement is already being stored.
    """
    result = statement.get("result") or {}
    package_id = package.id
    # Re-scoring is Python work: done before the lock unless it needs the attempt's earlier answers.
    scored = None if _scored_with_attempt(package, part) else _check_score(statement, package, None)
    recorded = None
    if scored is not None and connection.vendor == "postgresql" and not connection.in_atomic_block:
        scored = (scored[0][:255], scored[1])
        fields = _statement_fields(
            user, module_id, package_id, statement, statement_id, verb, part, raw, maximum, scored
        )
        closing = _closing_fields(verb, result, raw, maximum, *scored) if closes else {}
        recorded = _record_in_one_round_trip(fields, closing, opens=not part and verb == ATTEMPTED)
    if recorded is not None:
        progress, attempt, stored = recorded
    else:
        progress, attempt, stored = _record_under_lock(
            user, module_id, package, statement, statement_id, verb, part, raw, maximum, closes, scored
        )
    if closes and not stored.flagged:
        settle_module(user, module_id, attempt, progress)
    return IntakeResult(stored)


def _record_under_lock(user, module_id, package, statement, statement_id, verb, part, raw, maximum, closes, scored):
    """``_record``'s storing, one query at a time under the learner's lock: ``(progress, attempt, statement)``."""
    result = statement.get("result") or {}
    package_id = package.id
    with transaction.atomic():
        progress = _lock_learner_module(user, module_id)
        attempt = (
            H5PAttempt.objects.filter(user=user, module_id=module_id, package_id=package_id)
            .order_by("-number")
            .first()
        )
        opens = attempt is None or attempt.finished_at is not None or (not part and verb == ATTEMPTED)
        # A new attempt holds no statement yet, so its QuestionSet responses are none.
        flag_reason, assurance = scored or _check_score(statement, package, None if opens else attempt)
        flag_reason = flag_reason[:255]
        closing = _closing_fields(verb, result, raw, maximum, flag_reason, assurance) if closes else {}
        now = timezone.now()
        if opens:
            number = attempt.number + 1 if attempt else 1
            # A statement that opens and closes its attempt (an answer with no "attempted" before it, as H5P sends
            # them) writes it in one INSERT, started and finished at the same instant.
            finished = {"finished_at": now, **closing} if closing else {}
            attempt = H5PAttempt.objects.create(
                user=user, module_id=module_id, package_id=package_id, number=number, started_at=now, **finished
            )
        elif closing:
            closing["finished_at"] = now
            for field, value in closing.items():
                setattr(attempt, field, value)
            attempt.save(update_fields=list(closing))
        fields = _statement_fields(
            user, module_id, package_id, statement, statement_id, verb, part, raw, maximum, (flag_reason, assurance)
        )
        stored = XAPIStatement.objects.create(attempt=attempt, **fields)
    return progress, attempt, stored


def _prepared(instance, names):
    """The quoted columns of ``instance``'s fields ``names`` and their values as the database takes them."""
    columns, values = [], []
    for name in names:
        field = instance._meta.get_field(name)
        columns.append(connection.ops.quote_name(field.column))
        values.append(field.get_db_prep_save(field.pre_save(instance, True), connection))
    return columns, values


def _record_in_one_round_trip(fields, closing, opens):
    """``_record_under_lock`` in two SQL statements sent together (PostgreSQL, outside any transaction), so the
    learner's lock is held only while the server runs them, never across a round trip or Python work;
    ``(progress, attempt, statement)``, or None when the learner has no progress row in the module yet (nothing
    is then written: the caller stores the statement one query at a time, creating the row).

    A string of statements is one transaction on the server. The first locks the progress row and notes, in a
    transaction-local setting, that it did; the second, which reads with a snapshot taken after the lock, finds
    the current attempt, opens one (numbered after it) or closes it, and inserts the statement: the same rules
    as ``_record_under_lock``, in one ``WITH``. A broken constraint (a replayed statement id) undoes both.
    """
    now = timezone.now()
    user, module_id, package_id = fields["user"], fields["module_id"], fields["package_id"]
    attempt = H5PAttempt(
        user=user,
        module_id=module_id,
        package_id=package_id,
        number=0,
        started_at=now,
        **({"finished_at": now, **closing} if closing else {}),
    )
    attempt_columns, attempt_values = _prepared(
        attempt, [f.name for f in H5PAttempt._meta.concrete_fields if f.name not in ("id", "number")]
    )
    closed_columns, closed_values = _prepared(attempt, ["finished_at", *closing]) if closing else ([], [])
    stored = XAPIStatement(**fields)
    statement_columns, statement_values = _prepared(
        stored, [f.name for f in XAPIStatement._meta.concrete_fields if f.name not in ("id", "attempt")]
    )
    progress_table = connection.ops.quote_name(ModuleProgress._meta.db_table)
    attempts = connection.ops.quote_name(H5PAttempt._meta.db_table)
    statements = connection.ops.quote_name(XAPIStatement._meta.db_table)
    closed_set = ", ".join(f"{column} = %s" for column in closed_columns) or "finished_at = finished_at"
    sql = f"""
        SELECT status, best_score, assurance, set_config('courses.xapi_locked', 'yes', true)
        FROM {progress_table} WHERE user_id = %s AND module_id = %s FOR UPDATE;
        WITH last AS (
            SELECT id, number, finished_at FROM {attempts}
            WHERE user_id = %s AND module_id = %s AND package_id = %s ORDER BY number DESC LIMIT 1
        ), decided AS (
            SELECT coalesce(current_setting('courses.xapi_locked', true) = 'yes', false) AS locked,
                %s OR NOT EXISTS (SELECT 1 FROM last WHERE finished_at IS NULL) AS opens
        ), opened AS (
            INSERT INTO {attempts} (number, {", ".join(attempt_columns)})
            SELECT coalesce((SELECT number FROM last), 0) + 1, {", ".join(["%s"] * len(attempt_values))}
            FROM decided WHERE locked AND opens
            RETURNING id, number
        ), closed AS (
            UPDATE {attempts} SET {closed_set} FROM decided
            WHERE {attempts}.id = (SELECT id FROM last) AND locked AND NOT opens AND %s
        )
        INSERT INTO {statements} (attempt_id, {", ".join(statement_columns)})
        SELECT coalesce((SELECT id FROM opened), (SELECT id FROM last)), {", ".join(["%s"] * len(statement_values))}
        FROM decided WHERE locked
        RETURNING id, attempt_id, (SELECT number FROM opened)
    """
    params = [
        user.pk,
        module_id,
        user.pk,
        module_id,
        package_id,
        opens,
        *attempt_values,
        *closed_values,
        bool(closing),
        *statement_values,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        locked_row = cursor.fetchone()
        cursor.nextset()
        stored_row = cursor.fetchone()
    if locked_row is None or stored_row is None:
        return None
    status, best_score, assurance, _locked = locked_row
    progress = ModuleProgress(
        user=user, module_id=module_id, status=status, best_score=best_score, assurance=assurance
    )
    # The attempt as far as ``settle_module`` reads it: its id and closing fields (its number when it was opened).
    stored.pk, attempt.pk, number = stored_row
    stored.attempt_id = attempt.pk
    if number is not None:
        attempt.number = number
    return progress, attempt, stored
