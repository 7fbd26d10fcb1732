"""Appending the registry's events to the transparency log, signing its tree heads, and answering proofs.

Each issue (a reissue, a renewal and a name correction are issues of a new certificate that supersedes the old)
and each revocation appends the certificate's registry row, as canonical JSON (:func:`entry_for`), in the same
transaction as the change: the row and its leaf are committed together or not at all. Appending locks the log's
one row, so leaves are numbered in commit order without gaps, stores the leaf and the perfect subtrees it
completes (:func:`~certification.transparency.rfc9162.new_subtrees`) and signs a new tree head.

Anyone can then check a certificate: the entry built from today's registry row must be in the log at the index
the log names (:func:`inclusion_for`); a row changed or deleted without the log fails that check.
"""

import base64
import json
import struct
import time

from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..documents.pki import transparency_log_key
from ..models import Certificate, LogEntry, LogNode, TransparencyLog, TreeHead
from . import rfc9162

# RFC 6962 §3.5's TreeHeadSignature: version v1 (0), signature type tree_hash (1), timestamp, size, root.
TREE_HEAD_FORMAT = ">BBQQ32s"
MAX_ENTRIES_PER_PAGE = 1000


def entry_for(certificate: Certificate) -> bytes:
    """The registry row as the log keeps it: canonical JSON (sorted keys, no spaces, UTF-8), names as printed."""
    supersedes = certificate.supersedes
    row = {
        "serial": certificate.serial,
        "public_id": certificate.public_id,
        "status": certificate.status,
        "holder_name_zh": certificate.holder_name_zh,
        "holder_name_en": certificate.holder_name_en,
        "programme_name_zh": certificate.programme_name_zh,
        "programme_name_en": certificate.programme_name_en,
        "hours": f"{certificate.hours:.1f}",
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "revoked_on": timezone.localdate(certificate.revoked_at).isoformat() if certificate.revoked_at else None,
        "pdf_sha256": certificate.pdf_sha256,
        "supersedes": supersedes.serial if supersedes else None,
    }
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _lookup(subtrees) -> dict[tuple[int, int], bytes]:
    subtrees = list(subtrees)
    if not subtrees:
        return {}
    where = Q()
    for level, position in subtrees:
        where |= Q(level=level, position=position)
    found = {
        (level, position): bytes(value)
        for level, position, value in LogNode.objects.filter(where).values_list("level", "position", "hash")
    }
    missing = set(subtrees) - found.keys()
    if missing:
        raise LookupError(f"the log has lost subtrees {sorted(missing)}")
    return found


def append(certificate: Certificate) -> LogEntry:
    """Append the certificate's row as it is now, and sign the new head; call it inside the change's transaction."""
    with transaction.atomic():
        log, _created = TransparencyLog.objects.select_for_update().get_or_create(pk=1)
        index = log.size
        entry = entry_for(certificate)
        event = LogEntry.Event.REVOKE if certificate.status == Certificate.Status.REVOKED else LogEntry.Event.ISSUE
        logged = LogEntry.objects.create(
            index=index, event=event, serial=certificate.serial, public_id=certificate.public_id, entry=entry.decode()
        )
        created = rfc9162.new_subtrees(index, rfc9162.leaf_hash(entry), _lookup)
        LogNode.objects.bulk_create(
            LogNode(level=level, position=position, hash=value) for (level, position), value in created.items()
        )
        log.size = index + 1
        log.save(update_fields=["size"])
        sign_tree_head(log.size)
    return logged


def tree_head_bytes(tree_size: int, timestamp: int, root: bytes) -> bytes:
    return struct.pack(TREE_HEAD_FORMAT, 0, 1, timestamp, tree_size, root)


def sign_tree_head(tree_size: int | None = None) -> TreeHead:
    """Sign the log's current head (the scheduled command calls it, so heads are fresh even when nothing changes)."""
    if tree_size is None:
        tree_size = TransparencyLog.objects.values_list("size", flat=True).first() or 0
    root = rfc9162.root_hash(tree_size, _lookup)
    timestamp = int(time.time() * 1000)
    signature = transparency_log_key().sign(tree_head_bytes(tree_size, timestamp, root))
    return TreeHead.objects.create(tree_size=tree_size, root_hash=root, timestamp=timestamp, signature=signature)


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def public_key_der() -> bytes:
    return (
        transparency_log_key()
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def latest_head() -> TreeHead:
    head = TreeHead.objects.order_by("-pk").first()
    return head if head is not None else sign_tree_head()


def head_document(head: TreeHead) -> dict:
    """A signed tree head as published (RFC 6962 §4.3's field names, with the log's public key)."""
    return {
        "tree_size": head.tree_size,
        "timestamp": head.timestamp,
        "sha256_root_hash": _b64(bytes(head.root_hash)),
        "tree_head_signature": _b64(bytes(head.signature)),
        "signature_algorithm": "Ed25519",
        "public_key": _b64(public_key_der()),
    }


def inclusion_for(certificate: Certificate, tree_size: int | None = None) -> dict | None:
    """The proof that this certificate's row, as the registry holds it now, is the last entry the log recorded for
    it in the tree of ``tree_size`` (the latest signed head's when None); None when the log has no entry for it
    (certificates written before the log) or the size is beyond the log."""
    if tree_size is None:
        head = latest_head()
        tree_size, root = head.tree_size, bytes(head.root_hash)
    else:
        size = TransparencyLog.objects.values_list("size", flat=True).first() or 0
        if not 0 < tree_size <= size:
            return None
        root = rfc9162.root_hash(tree_size, _lookup)
    logged = (
        LogEntry.objects.filter(serial=certificate.serial, index__lt=tree_size)
        .order_by("-index")
        .only("index")
        .first()
    )
    if logged is None:
        return None
    return {
        "leaf_index": logged.index,
        "tree_size": tree_size,
        "entry": entry_for(certificate).decode(),
        "audit_path": [_b64(value) for value in rfc9162.inclusion_proof(logged.index, tree_size, _lookup)],
        "sha256_root_hash": _b64(root),
    }


def consistency(first: int, second: int) -> list[str]:
    """RFC 9162 consistency proof between two sizes of the log (ValueError when they make no sense)."""
    size = TransparencyLog.objects.values_list("size", flat=True).first() or 0
    if second > size:
        raise ValueError(f"the log has {size} entries, not {second}")
    return [_b64(value) for value in rfc9162.consistency_proof(first, second, _lookup)]


def entries(start: int, end: int) -> list[dict]:
    """Entries ``start`` to ``end - 1`` (at most :data:`MAX_ENTRIES_PER_PAGE`) as the log holds them."""
    end = min(end, start + MAX_ENTRIES_PER_PAGE)
    return [
        {"leaf_index": index, "entry": entry}
        for index, entry in LogEntry.objects.filter(index__gte=start, index__lt=end).values_list("index", "entry")
    ]
