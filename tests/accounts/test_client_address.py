"""Which client a request counts against: one notion (core.network) for allauth's sign-in limits and ours.

A client can write anything in ``X-Forwarded-For``; only the entries our own proxies append
(``TRUSTED_PROXY_COUNT`` of them, from the right) say who the client is.
"""

import pytest
from django.test import Client, RequestFactory

from core.network import client_address
from tests.accounts.factories import PASSWORD, UserFactory

LOGIN = "/zh-hant/accounts/login/"
PROXY = "10.0.0.2"  # the load balancer, as the app server sees it


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("198.51.100.7", "1.2.3.4")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        # The client wrote the first entry; the load balancer appended the address it really saw.
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4,5.6.7.8,  203.0.113.5", "203.0.113.5"),
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        # Past the outer proxy, straight to the inner one: what the inner one saw.
        (2, "203.0.113.5", "203.0.113.5"),
        (1, "", PROXY),
    ],
)
def test_behind_trusted_proxies_the_entry_they_wrote_counts(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(PROXY, forwarded)) == expected


def verify(client, code, forwarded):
    return client.get("/zh-hant/verify/", {"code": code}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_verification_behind_one_proxy_gives_two_clients_two_buckets(client, home_page, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.VERIFY_UNKNOWN_LOOKUPS_PER_HOUR = 3
    stranger = [verify(client, f"AAAA-AAAA-AAAA-{n}", "203.0.113.5").status_code for n in range(5)]
    assert stranger[:3] == [404] * 3 and set(stranger[3:]) == {429}
    # Another teacher behind the same load balancer is not blocked by the stranger's bad codes.
    assert verify(Client(), "AAAA-AAAA-AAAA-9", "198.51.100.20").status_code == 404


@pytest.mark.django_db
def test_verification_a_spoofed_header_does_not_move_the_bucket(client, home_page, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.VERIFY_UNKNOWN_LOOKUPS_PER_HOUR = 3
    statuses = [verify(client, f"AAAA-AAAA-AAAA-{n}", f"192.0.2.{n}, 203.0.113.5").status_code for n in range(6)]
    assert statuses[:3] == [404] * 3 and set(statuses[3:]) == {429}


def sign_in_fails(forwarded, email):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    response = client.post(LOGIN, {"login": email, "password": "wrong"})
    return response.context["form"].has_error("__all__", "too_many_login_attempts")


@pytest.mark.django_db
def test_sign_in_limit_per_client_behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "4/m/ip"}
    # Each attempt names another address, so only the per-client limit can stop them; the spoofed first entry
    # changes every time.
    limited = [sign_in_fails(f"192.0.2.{n}, 203.0.113.5", f"t{n}@school.example.tw") for n in range(6)]
    assert limited[:4] == [False] * 4 and all(limited[4:])
    # Two clients, two buckets: a colleague behind the same load balancer signs in.
    colleague = UserFactory()
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20")
    client.post(LOGIN, {"login": colleague.email, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(colleague.pk)
