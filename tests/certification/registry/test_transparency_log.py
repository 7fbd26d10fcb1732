"""The registry's transparency log: what is appended and when, signed heads, the public endpoints, the
verification page and the Open Badges status."""

import base64
import json
import struct

import pytest
from cryptography.hazmat.primitives.serialization import load_der_public_key
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from certification.documents.pki import transparency_log_key
from certification.models import Certificate, LogEntry, LogNode, TreeHead
from certification.registry.issuing import (
    IssuingRefused,
    complete_certificate,
    reissue_certificate,
    revoke_certificate,
)
from certification.transparency import log, rfc9162
from tests.certification.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def b64(value):
    return base64.b64decode(value)


def verified_head(document):
    key = load_der_public_key(b64(document["public_key"]))
    signed = struct.pack(
        ">BBQQ32s", 0, 1, document["timestamp"], document["tree_size"], b64(document["sha256_root_hash"])
    )
    key.verify(b64(document["tree_head_signature"]), signed)  # raises when the signature is wrong
    return document


def proves(proof, root):
    leaf = rfc9162.leaf_hash(proof["entry"].encode())
    path = [b64(value) for value in proof["audit_path"]]
    return rfc9162.verify_inclusion(leaf, proof["leaf_index"], proof["tree_size"], path, root)


def test_an_issue_appends_the_row_as_printed_in_canonical_json(certificate):
    entry = LogEntry.objects.get()
    assert (entry.index, entry.event, entry.serial, entry.public_id) == (
        0,
        "issue",
        certificate.serial,
        certificate.public_id,
    )
    row = json.loads(entry.entry)
    assert row["holder_name_zh"] == certificate.holder_name_zh
    assert row["programme_name_en"] == certificate.programme_name_en
    assert row["pdf_sha256"] == certificate.pdf_sha256 and len(row["pdf_sha256"]) == 64
    assert row["status"] == "issued" and row["issued_on"] == certificate.issued_on.isoformat()
    assert entry.entry == json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # A pending certificate has no PDF yet: it is logged once signed, never before.
    assert LogEntry.objects.filter(serial=certificate.serial).count() == 1


def test_revocation_and_reissue_append_and_every_change_signs_a_head(certificate, teacher, issue):
    revoke_certificate(certificate, reason="Hours were entered twice.", by=None)
    assert [entry.event for entry in LogEntry.objects.all()] == ["issue", "revoke"]
    assert json.loads(LogEntry.objects.get(index=1).entry)["revoked_on"] is not None

    other = issue(TeacherFactory(), certificate.programme)
    successor = complete_certificate(reissue_certificate(other, by=None).pk)
    last = LogEntry.objects.order_by("-index").first()
    assert last.serial == successor.serial and json.loads(last.entry)["supersedes"] == other.serial
    assert LogEntry.objects.count() == 4
    heads = list(TreeHead.objects.order_by("pk").values_list("tree_size", flat=True))
    assert heads == [1, 2, 3, 4]
    document = verified_head(log.head_document(TreeHead.objects.latest("pk")))
    assert b64(document["sha256_root_hash"]) == rfc9162.root_hash(4, log._lookup)


def test_a_refused_revocation_appends_nothing(certificate):
    revoke_certificate(certificate, reason="Duplicate.", by=None)
    with pytest.raises(IssuingRefused):
        revoke_certificate(Certificate.objects.get(pk=certificate.pk), reason="Again.", by=None)
    assert LogEntry.objects.count() == 2


def test_a_change_rolled_back_leaves_no_entry_and_no_head(certificate):
    with pytest.raises(RuntimeError), transaction.atomic():
        revoke_certificate(certificate, reason="Mistake.", by=None)
        raise RuntimeError("the surrounding request failed")
    assert LogEntry.objects.count() == 1 and TreeHead.objects.count() == 1
    assert Certificate.objects.get(pk=certificate.pk).status == "issued"


def test_the_log_key_is_not_the_certificate_or_credential_key(certificate, platform_pki):
    log_key = transparency_log_key().public_key()
    head = verified_head(log.head_document(log.latest_head()))
    assert b64(head["public_key"]) == log.public_key_der()
    credential_key = (platform_pki / "credential-es256.pem").read_bytes()
    assert type(log_key).__name__.startswith("Ed25519") and b"EC PRIVATE" not in credential_key
    assert (platform_pki / "transparency-log-ed25519.pem").exists()


def test_append_costs_a_bounded_number_of_queries(certificate, django_assert_max_num_queries):
    # Lock the size, insert the entry, read the siblings, insert the nodes, save the size, read the root, sign.
    certificate = Certificate.objects.select_related("supersedes").get(pk=certificate.pk)
    with django_assert_max_num_queries(9):
        log.append(certificate)


def test_scheduled_command_signs_a_fresh_head(certificate):
    call_command("sign_tree_head", stdout=open("/dev/null", "w"))
    first, second = TreeHead.objects.order_by("pk")
    assert second.tree_size == first.tree_size == 1 and bytes(second.root_hash) == bytes(first.root_hash)
    assert second.timestamp >= first.timestamp


def grow(certificate, times):
    """More leaves, cheaply: the same row appended again (the tree does not care what a leaf says)."""
    certificate = Certificate.objects.select_related("supersedes").get(pk=certificate.pk)
    for _index in range(times):
        log.append(certificate)


def test_endpoints_give_a_signed_head_entries_and_proofs_that_verify(client, certificate):
    grow(certificate, 4)
    head = verified_head(client.get(reverse("transparency:sth")).json())
    assert head["tree_size"] == 5
    root = b64(head["sha256_root_hash"])

    served = client.get(reverse("transparency:entries"), {"start": 1, "end": 3}).json()["entries"]
    assert [item["leaf_index"] for item in served] == [1, 2]

    proof = client.get(reverse("transparency:inclusion", args=[certificate.public_id])).json()
    assert proof["leaf_index"] == 4 and proves(proof, root)

    older = client.get(reverse("transparency:inclusion", args=[certificate.public_id]), {"tree_size": 2}).json()
    assert older["tree_size"] == 2 and older["leaf_index"] == 1 and proves(older, rfc9162.root_hash(2, log._lookup))

    consistency = client.get(reverse("transparency:consistency"), {"first": 2, "second": 5}).json()["consistency"]
    assert rfc9162.verify_consistency(2, 5, rfc9162.root_hash(2, log._lookup), root, [b64(p) for p in consistency])


@pytest.mark.parametrize(
    "query",
    [
        {"first": 0, "second": 1},
        {"first": 2, "second": 1},
        {"first": 1, "second": 99},
        {"first": "x", "second": 1},
        {},
    ],
)
def test_nonsense_consistency_requests_are_refused(client, certificate, query):
    response = client.get(reverse("transparency:consistency"), query)
    assert response.status_code in (400, 404)


def test_no_proof_for_unknown_or_out_of_range(client, certificate, home_page):
    # A 404 outside the language prefix is sent on to a language's page first, which is a 404 too.
    assert client.get(reverse("transparency:inclusion", args=["0" * 32]), follow=True).status_code == 404
    url = reverse("transparency:inclusion", args=[certificate.public_id])
    assert client.get(url, {"tree_size": 7}, follow=True).status_code == 404
    assert client.get(url, {"tree_size": 0}, follow=True).status_code == 404
    assert client.get(url, {"tree_size": -1}).status_code == 400
    assert client.get(reverse("transparency:entries"), {"start": "a"}).status_code == 400


def test_verification_page_shows_the_proof_collapsed_without_script_and_stays_small(client, certificate, home_page):
    grow(certificate, 6)
    response = client.get(reverse("certification:verify_certificate", args=[certificate.public_id]))
    body = response.content.decode()
    assert response.status_code == 200 and len(response.content) < 50 * 1024
    details = body[body.index("<details") : body.index("</details>")]
    assert "<details open" not in body and "<script" not in details
    proof = log.inclusion_for(Certificate.objects.get(pk=certificate.pk))
    assert all(value in details for value in proof["audit_path"]) and len(proof["audit_path"]) == 2
    assert f"<dd>{proof['leaf_index']}</dd>" in details


def test_open_badges_status_carries_the_inclusion_proof(client, certificate):
    revoke_certificate(certificate, reason="Withdrawn.", by=None)
    status = client.get(reverse("credentials:status", args=[certificate.public_id])).json()
    assert status["revoked"] is True
    proof = status["transparencyLog"]
    assert proof["leaf_index"] == 1 and json.loads(proof["entry"])["status"] == "revoked"
    head = verified_head(client.get(proof["signedTreeHead"].split("testserver")[-1] or "/").json())
    assert proves(proof, b64(head["sha256_root_hash"]))


def test_nodes_are_stored_once_per_perfect_subtree(certificate):
    grow(certificate, 6)
    # 7 leaves: 7 leaves + 3 pairs + 1 quadruple.
    assert LogNode.objects.count() == 11
    assert LogNode.objects.filter(level=2).count() == 1
