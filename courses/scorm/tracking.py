"""The intake of SCORM CMI data, checked before it becomes tracking and progress.

The page posts ``{"module_id", "package_id", "sco", "cmi": {…}}`` for its run-time frame, where ``cmi`` is what
scorm-again's ``renderCommitCMI`` gives: SCORM 1.2's ``cmi.core.*``, ``cmi.suspend_data``, ``cmi.interactions``
or SCORM 2004's ``cmi.*``. It is stored only when: the learner is actively enrolled in the module's course and
admitted by its view restrictions; the package is shown by the module; the SCO is one of the package's; the body
is within ``MAX_BODY_BYTES`` and each value within SCORM's own limits and types; the learner is within
``SCORM_COMMITS_PER_MINUTE``. Nothing the browser says about who the learner is counts: the row is the session
user's. One commit costs a bounded number of queries: the access is cached as the xAPI intake's is, and the row
is written with one upsert.

A SCO's data is kept per attempt. A SCO that reported completion and is launched again starts a new attempt
(``attempt_to_resume``); the one in progress resumes with its location and suspend data.
"""

import json
import math
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import CompletionRule
from ..models import ModulePage, ScormPackage, ScormTrack
from ..progress import record_reported_result
from ..xapi import StatementRejected, module_for, within_rate_limit

MAX_BODY_BYTES = 256 * 1024
MAX_SUSPEND_DATA = 64000  # SCORM 2004's SPM; 1.2's is 4096, but packages exceed it and LMSs accept more
MAX_LOCATION = 1000
MAX_INTERACTIONS = 250
PACKAGE_CACHE_SECONDS = 3600
SCO_IDENTIFIER = re.compile(r"^[\w.:-]{1,255}$")
STATUSES_12 = frozenset({"passed", "completed", "failed", "incomplete", "browsed", "not attempted"})
COMPLETION_2004 = frozenset({"completed", "incomplete", "not attempted", "unknown"})
SUCCESS_2004 = frozenset({"passed", "failed", "unknown"})
RESULT_FIELDS = ("completion_status", "success_status", "score_raw", "score_min", "score_max", "score_scaled")
TIME_12 = re.compile(r"^(\d{2,4}):(\d{2}):(\d{2})(\.\d{1,2})?$")
TIME_2004 = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$")


class CommitRejected(StatementRejected):
    """The commit is refused and nothing was stored; ``status`` is the HTTP status to answer with."""


def parse_body(body: bytes) -> dict:
    if len(body) > MAX_BODY_BYTES:
        raise CommitRejected(_("The SCORM data is too large."), status=413)
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise CommitRejected(_("The body is not valid JSON.")) from error
    if not isinstance(payload, dict) or not isinstance(payload.get("cmi"), dict):
        raise CommitRejected(_("The body must be an object with the SCO's cmi data."))
    return payload


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number")


def _identifier(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise CommitRejected(_("%(what)s is missing or not a number.") % {"what": what})
    return value


def _package_scos(package_id):
    """``(is 2004, {sco identifier})`` of a package; packages never change once stored, so this is cached."""
    key = f"courses:scorm-package:{package_id}"
    facts = cache.get(key)
    if facts is None:
        package = ScormPackage.objects.filter(pk=package_id).only("version", "items").first()
        if package is None:
            return None
        facts = (package.is_2004, frozenset(item["identifier"] for item in package.scos))
        cache.set(key, facts, PACKAGE_CACHE_SECONDS)
    return facts


def _text(value, what, limit):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CommitRejected(_("%(what)s must be text.") % {"what": what})
    if len(value) > limit:
        raise CommitRejected(_("%(what)s is longer than %(limit)s characters.") % {"what": what, "limit": limit})
    return value


def _decimal(value, what, low=None, high=None):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CommitRejected(_("%(what)s must be a number.") % {"what": what})
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise CommitRejected(_("%(what)s must be a number.") % {"what": what}) from error
    if not number.is_finite() or abs(number) >= 10**8:
        raise CommitRejected(_("%(what)s must be a finite number.") % {"what": what})
    if (low is not None and number < low) or (high is not None and number > high):
        raise CommitRejected(_("%(what)s is out of range.") % {"what": what})
    return number.quantize(Decimal("0.0001"))


def seconds_of(value, is_2004) -> int:
    """A SCORM time span (1.2 ``HHHH:MM:SS.SS``, 2004 ISO 8601 ``PT1H2M3S``) in whole seconds; 0 when empty."""
    if not value:
        return 0
    if not is_2004:
        match = TIME_12.match(value)
        if not match:
            raise CommitRejected(_("A time is not in SCORM 1.2's HHHH:MM:SS form."))
        hours, minutes, seconds = (int(part) for part in match.groups()[:3])
        return hours * 3600 + minutes * 60 + seconds
    match = TIME_2004.match(value)
    if not match or value in ("P", "PT") or value.endswith("T"):
        raise CommitRejected(_("A time is not in SCORM 2004's ISO 8601 duration form."))
    years, months, days, hours, minutes = (int(part or 0) for part in match.groups()[:5])
    seconds = float(match.group(6) or 0)
    return int((years * 365 + months * 30 + days) * 86400 + hours * 3600 + minutes * 60 + math.floor(seconds))


def _interactions(value):
    """The interactions as the run-time holds them (scorm-again's ``{"childArray": [...]}`` or a list)."""
    if isinstance(value, dict):
        value = value.get("childArray", [])
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise CommitRejected(_("The interactions must be a list of objects."))
    if len(value) > MAX_INTERACTIONS:
        raise CommitRejected(_("At most %(count)s interactions are kept.") % {"count": MAX_INTERACTIONS})
    return value


def read_cmi(cmi: dict, is_2004: bool) -> dict:
    """The tracked columns of a commit's ``cmi`` data, checked; raises ``CommitRejected``."""
    data = cmi.get("cmi", cmi)
    if not isinstance(data, dict):
        raise CommitRejected(_("The cmi data must be an object."))
    if is_2004:
        score = data.get("score") if isinstance(data.get("score"), dict) else {}
        completion = _text(data.get("completion_status"), "cmi.completion_status", 20)
        success = _text(data.get("success_status"), "cmi.success_status", 20)
        if completion and completion not in COMPLETION_2004:
            raise CommitRejected(_("cmi.completion_status has a value SCORM 2004 does not define."))
        if success and success not in SUCCESS_2004:
            raise CommitRejected(_("cmi.success_status has a value SCORM 2004 does not define."))
        location = _text(data.get("location"), "cmi.location", MAX_LOCATION)
        session_time = _text(data.get("session_time"), "cmi.session_time", 40)
        total_time = _text(data.get("total_time"), "cmi.total_time", 40)
        scaled = _decimal(score.get("scaled"), "cmi.score.scaled", -1, 1)
    else:
        core = data.get("core") if isinstance(data.get("core"), dict) else {}
        score = core.get("score") if isinstance(core.get("score"), dict) else {}
        status = _text(core.get("lesson_status"), "cmi.core.lesson_status", 20)
        if status and status not in STATUSES_12:
            raise CommitRejected(_("cmi.core.lesson_status has a value SCORM 1.2 does not define."))
        completion = status
        success = status if status in ("passed", "failed") else ""
        location = _text(core.get("lesson_location"), "cmi.core.lesson_location", MAX_LOCATION)
        session_time = _text(core.get("session_time"), "cmi.core.session_time", 40)
        total_time = _text(core.get("total_time"), "cmi.core.total_time", 40)
        scaled = None
    raw = _decimal(score.get("raw"), "score.raw")
    low = _decimal(score.get("min"), "score.min")
    high = _decimal(score.get("max"), "score.max")
    if low is not None and high is not None and low > high:
        raise CommitRejected(_("The score's minimum is above its maximum."))
    return {
        "completion_status": completion,
        "success_status": success,
        "score_raw": raw,
        "score_min": low,
        "score_max": high,
        "score_scaled": scaled,
        "location": location,
        "suspend_data": _text(data.get("suspend_data"), "cmi.suspend_data", MAX_SUSPEND_DATA),
        "session_time": session_time,
        # The total comes with the finish; until then the session so far is the least the learner spent.
        "total_seconds": max(seconds_of(total_time, is_2004), seconds_of(session_time, is_2004)),
        "interactions": _interactions(data.get("interactions")),
    }


def rate_limit() -> int:
    return getattr(settings, "SCORM_COMMITS_PER_MINUTE", 120)


def receive(user, payload: dict) -> ScormTrack:
    """Check one commit from ``user`` and store it; raises ``CommitRejected`` when it is refused."""
    module_id = _identifier(payload.get("module_id"), _("The module"))
    package_id = _identifier(payload.get("package_id"), _("The package"))
    sco = payload.get("sco")
    if not isinstance(sco, str) or not SCO_IDENTIFIER.match(sco):
        raise CommitRejected(_("The SCO is missing or invalid."))
    if not within_rate_limit(user, scope="scorm", limit=rate_limit()):
        raise CommitRejected(_("Too many commits; wait a moment."), status=429)
    try:
        module_id = module_for(user, module_id, package_id, kind="scorm")
    except StatementRejected as error:
        raise CommitRejected(str(error), status=error.status) from error
    facts = _package_scos(package_id)
    if facts is None or sco not in facts[1]:
        raise CommitRejected(_("The SCO is not one of this package's."), status=404)
    is_2004 = facts[0]
    attempt = payload.get("attempt")
    if attempt is not None:
        attempt = _identifier(attempt, _("The attempt"))
    fields = read_cmi(payload["cmi"], is_2004)
    fields["cmi"] = payload["cmi"]
    tracks = ScormTrack.objects.select_for_update().filter(
        user=user, module_id=module_id, package_id=package_id, sco=sco
    )
    with transaction.atomic():
        latest = tracks.order_by("-attempt").first()
        track = _attempt_for(tracks, latest, attempt, user=user, module_id=module_id, package_id=package_id, sco=sco)
        result_before = _result_of(track)
        for name, value in fields.items():
            setattr(track, name, value)
        track.commits += 1
        track.save()
        # Most commits carry a bookmark or suspend data and the result the last one did: the module's completion,
        # derived from the results under this row's lock by the commit that changed them, cannot change.
        if _result_of(track) != result_before and (track.is_completed or track.percent is not None):
            evaluate(user, ModulePage.objects.get(pk=module_id), package_id)
    return track


def _attempt_for(tracks, latest: ScormTrack | None, number: int | None, **identity) -> ScormTrack:
    """The row a commit for attempt ``number`` (the one its launch began; ``None``: the latest) goes to, locked.

    A launch continues the latest attempt or, when that one was completed with nothing to resume, begins the next
    (``attempt_to_resume``); a commit for an attempt that is over, or for one no launch could have begun, is refused,
    so a finished attempt's figures are never overwritten.
    """
    current = latest.attempt if latest is not None else 0
    if number is None:
        number = current or 1
    if latest is not None and number == current:
        return latest
    if number < current:
        raise CommitRejected(_("This attempt is over: the SCO has been launched again since."), status=409)
    if number > current + 1 or (latest is not None and attempt_to_resume(latest) is not None):
        raise CommitRejected(_("The attempt is not the one this SCO's launch began; reload the page."), status=409)
    # Two first commits of an attempt at once (benchmarked): the row is inserted once, and both then take its lock.
    ScormTrack.objects.bulk_create([ScormTrack(attempt=number, **identity)], ignore_conflicts=True)
    return tracks.get(attempt=number)


def _result_of(track: ScormTrack) -> tuple:
    """What of a SCO's data the module's completion and score are derived from."""
    return tuple(getattr(track, name) for name in RESULT_FIELDS)


def attempt_to_resume(latest: ScormTrack | None) -> ScormTrack | None:
    """The attempt a launch of a SCO continues, given its latest: that one, unless it was completed and left
    nothing to resume (a new attempt then, ``None``)."""
    if latest is not None and latest.is_completed and not latest.suspend_data:
        return None
    return latest


def evaluate(user, module: ModulePage, package_id=None):
    """Derive the module's completion from the learner's SCOs under its SCORM rule, through courses' progress.

    Every SCO of every package the module shows must satisfy the rule: completed (``completed``/``passed``),
    passed (success ``passed``), or a score at or above the pass mark. The score is each SCO's best percentage,
    the module's the lowest of them. All of it is *reported*: the package's run-time is the browser's.
    """
    rule = CompletionRule(module.completion_rule)
    package_ids = module.scorm_package_ids
    if not package_ids:
        return None
    packages = {p.pk: p for p in ScormPackage.objects.filter(pk__in=package_ids).only("items", "version")}
    needed = {(pid, item["identifier"]) for pid in package_ids if pid in packages for item in packages[pid].scos}
    tracks = ScormTrack.objects.filter(user=user, module=module, package_id__in=package_ids).only(
        "package_id",
        "sco",
        "completion_status",
        "success_status",
        "score_raw",
        "score_min",
        "score_max",
        "score_scaled",
    )
    completed, passed, best = set(), set(), {}
    for track in tracks:
        key = (track.package_id, track.sco)
        if track.is_completed:
            completed.add(key)
        if track.success_status == "passed":
            passed.add(key)
        if (percent := track.percent) is not None:
            best[key] = max(best.get(key, Decimal(0)), Decimal(percent))
    # Content pages report no score: the module's score is the lowest of the SCOs that report one.
    scores = [best[key] for key in needed if key in best]
    score = min(scores).quantize(Decimal("0.01")) if scores else None
    if rule == CompletionRule.SCORM_COMPLETED:
        done = needed <= completed
    elif rule == CompletionRule.SCORM_PASSED:
        done = needed <= passed
    elif rule == CompletionRule.SCORM_SCORE:
        done = needed <= completed and score is not None and score >= module.pass_mark
    else:
        done = False
    return record_reported_result(user, module, score, done)
