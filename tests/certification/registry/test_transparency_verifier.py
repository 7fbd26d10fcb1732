"""The command-line verifier against the live site over HTTP: a clean log passes; a registry row edited behind
the log's back, one deleted, and a log whose history was rewritten are all reported. The standalone script runs
with Django made unimportable, so it needs nothing of ours but its two files."""

import json
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import certification.transparency
from certification.models import Certificate, LogEntry, LogNode, TransparencyLog, TreeHead
from certification.transparency import log
from tests.certification.factories import TeacherFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def audit(live_server, state):
    out = StringIO()
    try:
        call_command("verify_transparency_log", url=live_server.url, state=str(state), stdout=out)
    except CommandError as error:
        return False, out.getvalue() + str(error)
    return True, out.getvalue()


def standalone(live_server, state, tmp_path):
    """The verifier as a third party runs it: its two files copied elsewhere, Django impossible to import."""
    folder = tmp_path / "verifier"
    folder.mkdir(exist_ok=True)
    package = Path(certification.transparency.__file__).parent
    for name in ("verifier.py", "rfc9162.py"):
        shutil.copy(package / name, folder / name)
    runner = (
        "import runpy, sys; sys.modules['django'] = None; sys.path.insert(0, sys.argv[1]); "
        "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0] + '/verifier.py', run_name='__main__')"
    )
    return subprocess.run(
        [sys.executable, "-c", runner, str(folder), live_server.url, "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
    )


def test_edited_and_deleted_rows_are_reported(live_server, certificate, programme, issue, tmp_path):
    other = issue(TeacherFactory(), programme)
    state = tmp_path / "state.json"

    passed, output = audit(live_server, state)
    assert passed, output
    assert "First run" in output and "2 certificates checked: consistent" in output
    pinned = json.loads(state.read_text())
    assert pinned["tree_size"] == 2 and pinned["public_key"]

    log.append(Certificate.objects.select_related("supersedes").get(pk=certificate.pk))
    passed, output = audit(live_server, state)
    assert passed, output
    assert json.loads(state.read_text())["tree_size"] == 3

    # Behind the log's back: a queryset update skips the model's guard; the delete removes the row outright.
    Certificate.objects.filter(pk=certificate.pk).update(holder_name_zh="王大明")
    Certificate.objects.filter(pk=other.pk).delete()
    passed, output = audit(live_server, state)
    assert not passed
    assert f"{certificate.serial}: the registry's row differs" in output and "王大明" in output
    assert f"{other.serial}: in the log (entry 1) but missing from the registry: deleted" in output
    assert json.loads(state.read_text())["tree_size"] == 3  # a failed audit does not move the trusted head

    result = standalone(live_server, state, tmp_path)
    assert result.returncode == 1, result.stderr
    assert "the registry's row differs" in result.stdout and "deleted" in result.stdout


def test_a_rewritten_history_and_a_foreign_key_are_reported(live_server, certificate, tmp_path):
    state = tmp_path / "state.json"
    row = Certificate.objects.select_related("supersedes").get(pk=certificate.pk)
    log.append(row)
    assert standalone(live_server, state, tmp_path).returncode == 0

    # Someone with the database and the log key rebuilds the log: same size, other history, validly signed.
    LogEntry.objects.all().delete()
    LogNode.objects.all().delete()
    TreeHead.objects.all().delete()
    TransparencyLog.objects.update(size=0)
    printed = row.holder_name_en
    row.holder_name_en = "Someone Else"  # the first entry now says another name; the last ones match the registry
    log.append(row)
    row.holder_name_en = printed
    log.append(row)
    log.append(row)
    result = standalone(live_server, state, tmp_path)
    assert result.returncode == 1
    assert "does not extend the one of 2 seen before: history was rewritten" in result.stdout

    # The served entries no longer hash to the signed root.
    LogEntry.objects.filter(index=0).update(entry=LogEntry.objects.get(index=0).entry.replace("issued", "revoked"))
    fresh = tmp_path / "fresh.json"
    passed, output = audit(live_server, fresh)
    assert not passed and "do not hash to its signed root" in output

    # A head signed by another key than the one pinned.
    pinned = json.loads(state.read_text())
    pinned["public_key"] = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="
    state.write_text(json.dumps(pinned))
    result = standalone(live_server, state, tmp_path)
    assert "different key than the one pinned" in result.stdout and "not signed by the log's key" in result.stdout
