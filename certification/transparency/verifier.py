"""Audit the registry's transparency log from outside: standard library and ``cryptography`` only, so anyone can
run it without our code base (``python verifier.py https://…`` with ``rfc9162.py`` beside it), and
``manage.py verify_transparency_log`` runs the same code.

1. Fetch the signed tree head and check its Ed25519 signature with the log's key (pinned in the state file after
   the first run, or given with ``--public-key``).
2. Against the head seen last time (the state file), check the RFC 9162 consistency proof: the log only grew.
3. Fetch every entry and recompute the root: the entries served are the ones the head signs.
4. For each certificate in the log, fetch its inclusion proof: the entry built from the registry's row today must
   be the last entry the log holds for it. A row edited behind the log's back fails the proof; a row deleted is
   missing from the registry. Both are reported as rewrites.

Exit status 0 when all holds, 1 when anything was reported, 2 when the log could not be read.
"""

import argparse
import base64
import json
import struct
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_der_public_key

try:
    from . import rfc9162
except ImportError:  # run as a file: rfc9162.py sits beside it
    import rfc9162

TREE_HEAD_FORMAT = ">BBQQ32s"
PAGE = 1000


class LogUnreadable(Exception):
    """The log's API could not be fetched or read."""


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tree_size: int = 0
    certificates_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _fetch(base: str, path: str, *, missing_ok: bool = False):
    try:
        with urllib.request.urlopen(base.rstrip("/") + "/transparency/" + path, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if missing_ok and error.code == 404:
            return None
        raise LogUnreadable(f"{path}: HTTP {error.code}") from error
    except (urllib.error.URLError, ValueError) as error:
        raise LogUnreadable(f"{path}: {error}") from error


def _b64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


def _check_head(head: dict, key_der: bytes, report: Report) -> bytes:
    root = _b64(head["sha256_root_hash"])
    signed = struct.pack(TREE_HEAD_FORMAT, 0, 1, head["timestamp"], head["tree_size"], root)
    key = load_der_public_key(key_der)
    if not isinstance(key, Ed25519PublicKey):
        raise LogUnreadable("the log's key is not an Ed25519 key")
    try:
        key.verify(_b64(head["tree_head_signature"]), signed)
    except InvalidSignature:
        report.problems.append(f"The tree head of size {head['tree_size']} is not signed by the log's key.")
    return root


def _recomputed_root(base: str, size: int) -> tuple[bytes, dict[str, tuple[int, str]]]:
    """The root over the entries the log serves, and each certificate's last entry (index, entry text)."""
    store: dict[tuple[int, int], bytes] = {}

    def lookup(subtrees):
        return {subtree: store[subtree] for subtree in subtrees}

    last: dict[str, tuple[int, str]] = {}
    index = 0
    while index < size:
        page = _fetch(base, f"entries?start={index}&end={min(size, index + PAGE)}")["entries"]
        if not page:
            raise LogUnreadable(f"the log serves no entry at {index} of {size}")
        for item in page:
            if item["leaf_index"] != index:
                raise LogUnreadable(f"entry {index} is missing from the log's answer")
            text = item["entry"]
            store.update(rfc9162.new_subtrees(index, rfc9162.leaf_hash(text.encode()), lookup))
            last[json.loads(text)["public_id"]] = (index, text)
            index += 1
    return rfc9162.root_hash(size, lookup), last


def _differences(logged: str, registry: str) -> str:
    before, after = json.loads(logged), json.loads(registry)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    return ", ".join(f"{name}: {before.get(name)!r} → {after.get(name)!r}" for name in changed)


def audit(base: str, state: dict | None = None, public_key_der: bytes | None = None) -> tuple[Report, dict]:
    """Audit the log at ``base``; returns the report and the state to keep for the next run."""
    report = Report()
    state = dict(state or {})
    head = _fetch(base, "sth")
    served_key = _b64(head["public_key"])
    pinned = public_key_der or (_b64(state["public_key"]) if "public_key" in state else None)
    if pinned is None:
        report.notes.append("First run: the log's key is now pinned in the state file.")
        pinned = served_key
    elif pinned != served_key:
        report.problems.append("The log now publishes a different key than the one pinned.")
    root = _check_head(head, pinned, report)
    size = report.tree_size = head["tree_size"]

    if "tree_size" in state:
        old_size, old_root = state["tree_size"], _b64(state["sha256_root_hash"])
        if size < old_size:
            report.problems.append(f"The log shrank from {old_size} to {size} entries: history was rewritten.")
        elif old_size and size == old_size and root != old_root:
            report.problems.append(f"The root of the {size} entries changed: history was rewritten.")
        elif old_size and size > old_size:
            proof = _fetch(base, f"consistency?first={old_size}&second={size}")["consistency"]
            if not rfc9162.verify_consistency(old_size, size, old_root, root, [_b64(p) for p in proof]):
                report.problems.append(
                    f"The log of {size} entries does not extend the one of {old_size} seen before: history was "
                    "rewritten."
                )

    recomputed, last = _recomputed_root(base, size)
    if recomputed != root:
        report.problems.append("The entries the log serves do not hash to its signed root: entries were changed.")

    for public_id, (index, logged) in last.items():
        serial = json.loads(logged)["serial"]
        proof = _fetch(base, f"proof/{public_id}?tree_size={size}", missing_ok=True)
        report.certificates_checked += 1
        if proof is None:
            report.problems.append(f"{serial}: in the log (entry {index}) but missing from the registry: deleted.")
            continue
        path = [_b64(p) for p in proof["audit_path"]]
        entry = proof["entry"]
        included = rfc9162.verify_inclusion(rfc9162.leaf_hash(entry.encode()), proof["leaf_index"], size, path, root)
        if proof["leaf_index"] != index or not included:
            report.problems.append(
                f"{serial}: the registry's row differs from the log's entry {index}: rewritten "
                f"({_differences(logged, entry)})."
            )

    if not report.problems:
        state.update(tree_size=size, sha256_root_hash=head["sha256_root_hash"], public_key=head["public_key"])
    return report, state


def run(argv: list[str] | None = None, out=sys.stdout) -> int:
    parser = argparse.ArgumentParser(description="Audit the IE Academy certificate registry's transparency log.")
    parser.add_argument("base_url", help="the site's address, e.g. https://academy.example.tw")
    parser.add_argument("--state", type=Path, help="a JSON file keeping the last head seen and the pinned key")
    parser.add_argument("--public-key", type=Path, help="the log's public key (DER or PEM SubjectPublicKeyInfo)")
    arguments = parser.parse_args(argv)
    state = json.loads(arguments.state.read_text()) if arguments.state and arguments.state.exists() else {}
    key = None
    if arguments.public_key:
        data = arguments.public_key.read_bytes()
        if data.startswith(b"-----"):
            data = base64.b64decode(b"".join(line for line in data.splitlines() if not line.startswith(b"-----")))
        key = data
    try:
        report, state = audit(arguments.base_url, state, key)
    except LogUnreadable as error:
        print(f"Could not read the log: {error}", file=out)
        return 2
    for note in report.notes:
        print(note, file=out)
    for problem in report.problems:
        print(f"PROBLEM: {problem}", file=out)
    print(
        f"Log of {report.tree_size} entries, {report.certificates_checked} certificates checked: "
        + ("consistent." if report.ok else f"{len(report.problems)} problem(s)."),
        file=out,
    )
    if arguments.state:
        arguments.state.write_text(json.dumps(state, indent=2))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(run())
