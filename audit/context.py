"""The request being served, so an entry recorded deep inside a domain function still names who and from where.

Registry functions such as ``revoke_certificate(certificate, reason=..., by=...)`` are called from views, tasks and
commands alike and take no request; threading one through every layer only for the audit trail would couple them
to HTTP. The middleware keeps the current request in a context variable (per thread and per asyncio task), which
:func:`audit.recording.record` reads when its caller gives no request. Outside a request (a task, a command) there
is none: the entry has no address, and the actor is whoever the caller names.
"""

from contextvars import ContextVar

_current_request = ContextVar("audit_current_request", default=None)


def current_request():
    return _current_request.get()


def current_user():
    """The signed-in user of the request being served, for receivers of model signals that are given no actor."""
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class AuditContextMiddleware:
    """Placed after the authentication middleware, so that ``request.user`` is known when an entry is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
