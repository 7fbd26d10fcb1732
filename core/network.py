"""The address a request came from, as every rate limit counts it (allauth's sign-in limits and ours).

Behind ``TRUSTED_PROXY_COUNT`` proxies (the load balancer the README asks for is one), each proxy appends the
address it received the request from to ``X-Forwarded-For``: the last ``TRUSTED_PROXY_COUNT`` entries were
written by our proxies, everything to their left by the client, who can write anything there. So the entry
counted is the ``TRUSTED_PROXY_COUNT``-th from the right, never the first. With the default of 0 the header is
ignored and the address is the connection's own (``REMOTE_ADDR``).
"""

import ipaddress

from django.conf import settings


def trusted_proxy_count() -> int:
    return int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))


def client_address(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    count = trusted_proxy_count()
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            # Fewer entries than proxies: the request entered the chain past its first proxy, and the leftmost
            # entry is what the first proxy it met saw.
            address = hops[-min(count, len(hops))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        # Not an address (a misconfigured proxy, or a test client): still a stable key, kept short.
        return address[:64]
