"""Virus scanning of every uploaded file, through ClamAV's daemon (clamd).

Every request that carries files (H5P packages, Wagtail images and documents, CSV imports, PDFs to verify, and any
upload added later) has each file streamed to clamd with its ``INSTREAM`` command before the view runs
(``UploadScanMiddleware``). An infected file stops the request: the view never runs, so nothing is stored, and the
answer names the file and what clamd found. clamd unpacks archives, so a virus inside an ``.h5p`` is found too.

``CLAMD_SOCKET`` names clamd's socket: a path (``/run/clamav/clamd.ctl``, Debian's ``clamav-daemon``) or
``tcp://host:3310``. Unset, nothing is scanned and the admin's dashboard says so. Set, the scan fails closed: when
clamd does not answer (stopped, overloaded, socket missing), uploads are refused with a message saying so, since
an unscanned file cannot be told from an infected one. ``CLAMD_TIMEOUT`` (seconds, 30 by default) bounds the wait;
clamd's ``StreamMaxLength`` must be at least the largest upload (100 MB for H5P packages) or such files are refused.
"""

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

CHUNK_BYTES = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not be asked, or gave no verdict."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


def scanning_enabled() -> bool:
    return bool(getattr(settings, "CLAMD_SOCKET", ""))


def _connect():
    address = settings.CLAMD_SOCKET
    timeout = getattr(settings, "CLAMD_TIMEOUT", 30)
    if address.startswith("tcp://"):
        parts = urlsplit(address)
        return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(timeout)
    connection.connect(address)
    return connection


def _reply(connection):
    data = b""
    while not data.endswith(b"\0"):
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(chunks) -> Verdict:
    """Stream ``chunks`` (an iterable of bytes) to clamd; raise ``ScannerUnavailable`` without a verdict."""
    try:
        with _connect() as connection:
            connection.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK_BYTES):
                    piece = chunk[start : start + CHUNK_BYTES]
                    connection.sendall(struct.pack("!L", len(piece)) + piece)
            connection.sendall(struct.pack("!L", 0))
            reply = _reply(connection)
    except OSError as error:
        raise ScannerUnavailable(str(error)) from error
    # "stream: OK", "stream: <signature> FOUND", or "<reason> ERROR" (a stream over StreamMaxLength, say).
    if reply.endswith(" FOUND"):
        return Verdict(True, reply.removeprefix("stream:").removesuffix("FOUND").strip())
    if reply.endswith("OK"):
        return Verdict(False)
    raise ScannerUnavailable(reply or "no reply")


def ping() -> bool:
    """Whether clamd answers (for the admin's notice)."""
    try:
        with _connect() as connection:
            connection.sendall(b"zPING\0")
            return _reply(connection) == "PONG"
    except OSError:
        return False


def _scan_upload(upload):
    upload.seek(0)
    try:
        return scan(upload.chunks())
    finally:
        upload.seek(0)


class UploadScanMiddleware:
    """Scan every uploaded file before the view runs; refuse the request when one is infected or unscanned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not scanning_enabled() or request.method not in ("POST", "PUT", "PATCH"):
            return None
        if not request.content_type.startswith("multipart/"):
            return None
        for upload in request.FILES.values():
            try:
                verdict = _scan_upload(upload)
            except ScannerUnavailable:
                message = _(
                    "“%(name)s” was not stored: the virus scanner is not answering, and files are only accepted "
                    "once scanned. Please try again in a few minutes; if it persists, tell the site's administrators."
                ) % {"name": upload.name}
                return self._refused(request, message, status=503)
            if verdict.infected:
                message = _(
                    "“%(name)s” was not stored: the virus scanner found %(signature)s in it. Check the file with "
                    "your own antivirus software and upload a clean copy."
                ) % {"name": upload.name, "signature": verdict.signature}
                return self._refused(request, message, status=400)
        return None

    def _refused(self, request, message, status):
        # The admin's multiple upload (images, documents) reads JSON from its XHR.
        if request.headers.get("x-requested-with") == "XMLHttpRequest" or "json" in request.headers.get("accept", ""):
            return JsonResponse({"success": False, "error_message": message}, status=status)
        return HttpResponse(
            render_to_string("upload_refused.html", {"message": message}, request=request), status=status
        )
