"""The intake of xAPI statements from the H5P player, checked before they become attempts and progress.

The player posts ``{"module_id": …, "package_id": …, "statement": {…}}``. A statement is stored only when:
the learner is actively enrolled in the module's course; the package is shown by the module; the statement's
object is that package (or a part of its content, by ``?subContentId=``); its verb is one we know; its score, if
any, is a pair of finite numbers with 0 ≤ raw ≤ max. The actor it claims is ignored: the statement is the
session user's. A statement id is stored once; a replay changes nothing.

Attempts follow Moodle's ``mod_h5pactivity``: a top-level ``attempted`` opens an attempt, statements from
sub-content attach to the current one, and a top-level statement with a result closes it. Where the content
type allows it, the score the browser claims is re-computed from the package's own answers
(``courses.h5p.scoring``); a statement whose score does not match is stored, flagged, and not counted.
"""

import json
import math
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from . import learner_cache
from .h5p.player import is_activity_of
from .h5p.scoring import ImpossibleResponse, find_sub_content, rescore_statement, sub_content_id
from .models import Enrolment, H5PAttempt, H5PPackage, ModulePage, XAPIStatement
from .models.pages import canonical
from .progress import PAGE_PATH_STEP, evaluate_module

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


def within_rate_limit(user) -> bool:
    """Count one statement for ``user`` in the current window; False once the window's allowance is used."""
    key = f"courses:xapi-rate:{user.pk}:{current_window()}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
    try:
        return cache.incr(key) <= settings.XAPI_STATEMENTS_PER_MINUTE
    except ValueError:
        # The key expired between add and incr: this statement opens a fresh window.
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


def _module_for(user, module_id, package_id) -> int:
    """The id of the default-language module the learner may post ``package_id``'s statements to.

    A granted access is cached under the learner's and the site's tokens (``courses.learner_cache``): enrolling,
    withdrawing or publishing a page replaces them. A refusal is not cached, so enrolling takes effect at once.
    """
    key = f"courses:xapi-access:{user.pk}:{learner_cache.tokens(user.pk)}:{module_id}:{package_id}"
    canonical_id = cache.get(key)
    if canonical_id is None:
        canonical_id = _check_access(user, module_id, package_id)
        cache.set(key, canonical_id, ACCESS_CACHE_SECONDS)
    return canonical_id


def _check_access(user, module_id, package_id) -> int:
    module = (
        ModulePage.objects.live()
        .filter(pk=module_id)
        .only("body", "path", "depth", "translation_key", "locale_id")
        .first()
    )
    if module is None or package_id not in module.h5p_package_ids:
        raise StatementRejected(_("This activity is not part of that module."), status=404)
    course_path = module.path[:-PAGE_PATH_STEP]
    enrolled = Enrolment.objects.filter(
        Q(course__path=course_path) | Q(course__translation_key__in=_translation_key_of(course_path)),
        user=user,
        status=Enrolment.Status.ACTIVE,
    ).exists()
    if not enrolled:
        raise StatementRejected(_("You are not enrolled in this module's course."), status=403)
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


def _check_score(statement, package, attempt):
    """A reason to flag the statement, or ``""`` when its score is what the package gives (or cannot be checked)."""
    result = statement.get("result") or {}
    if "score" not in result:
        return ""
    sub_responses = None
    if not sub_content_id((statement.get("object") or {}).get("id")) and package.main_library == "H5P.QuestionSet":
        sub_responses = _question_set_responses(attempt)
    try:
        score = rescore_statement(package.content, package.main_library, statement, sub_responses)
    except ImpossibleResponse as error:
        return _("The response could not have come from this activity: %(reason)s.") % {"reason": error}
    if score is not None and not score.matches(result["score"]):
        return _("The claimed score %(claimed)s/%(max)s is not what the answers give (%(real)s/%(real_max)s).") % {
            "claimed": result["score"].get("raw"),
            "max": result["score"].get("max"),
            "real": score.raw,
            "real_max": score.max,
        }
    return ""


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
    module_id = _module_for(user, module_id, package_id)
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
        # The statement id is already stored: a replay, or the player retrying a post that did arrive.
        return IntakeResult(None, duplicate=True)


def _record(user, module_id, package, statement, statement_id, verb, part, raw, maximum, closes):
    result = statement.get("result") or {}
    package_id = package.id
    with transaction.atomic():
        attempt = (
            H5PAttempt.objects.select_for_update()
            .filter(user=user, module_id=module_id, package_id=package_id)
            .order_by("-number")
            .first()
        )
        opens = attempt is None or attempt.finished_at is not None or (not part and verb == ATTEMPTED)
        # A new attempt holds no statement yet, so its QuestionSet responses are none.
        flag_reason = _check_score(statement, package, None if opens else attempt)[:255]
        closing = {}
        if closes:
            closing = {
                "raw_score": raw,
                "max_score": maximum,
                "completed": result.get("completion") is True or verb in CLOSING_VERBS - {ANSWERED},
                "success": result.get("success") if isinstance(result.get("success"), bool) else None,
                "flagged": bool(flag_reason),
                "flag_reason": flag_reason,
            }
        if opens:
            number = attempt.number + 1 if attempt else 1
            attempt = H5PAttempt.objects.create(user=user, module_id=module_id, package_id=package_id, number=number)
        if closing:
            # Closed after the INSERT that stamps started_at, so that an attempt never finishes before it starts.
            closing["finished_at"] = timezone.now()
            for field, value in closing.items():
                setattr(attempt, field, value)
            attempt.save(update_fields=list(closing))
        stored = XAPIStatement.objects.create(
            statement_id=statement_id,
            user=user,
            module_id=module_id,
            package_id=package_id,
            attempt=attempt,
            verb=verb,
            object_id=statement["object"]["id"],
            sub_content_id=part[:64],
            raw_score=raw,
            max_score=maximum,
            response=str(result.get("response", ""))[:10000],
            flagged=bool(flag_reason),
            flag_reason=flag_reason,
            payload=statement,
        )
        if closes and not flag_reason:
            evaluate_module(user, ModulePage.objects.get(pk=module_id))
    return IntakeResult(stored)
