"""The player's server side: the player frame and package files on the content origin, and the learner's saved
state (H5P's ``contentUserData``) on the site's.

The frame and the files answer to a signed token in their path (``courses.h5p.access``): the sandboxed frame has
no cookies. The saved state answers only to a signed-in user the module is visible to (``ModulePage.is_visible_to``),
for a package that the module's body shows; the page posts it for the frame (``static/courses/js/h5p-player.js``).
"""

import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from ..models import ContentUserData, H5PPackage, ModulePage
from .access import ContentAccessDenied, check_content_token, restrictions_admit, token_lifetime
from .package import LIBRARY_EXTENSIONS
from .player import PACKAGE_FILE_CSP, STANDALONE_STATIC, activity_iri, frame_csp

# Types for every extension a package may hold (the H5P whitelists); anything else is not served.
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
    "webp": "image/webp",
    "ico": "image/x-icon",
    "m4v": "video/mp4",
    "oga": "audio/ogg",
    "ogv": "video/ogg",
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "eot": "application/vnd.ms-fontobject",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "txt": "text/plain; charset=utf-8",
    "md": "text/plain; charset=utf-8",
    "textile": "text/plain; charset=utf-8",
    "diff": "text/plain; charset=utf-8",
    "patch": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xml": "application/xml",
    "vtt": "text/vtt; charset=utf-8",
    "webvtt": "text/vtt; charset=utf-8",
    "pdf": "application/pdf",
    "rtf": "application/rtf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "swf": "application/octet-stream",
    "gltf": "model/gltf+json",
    "glb": "model/gltf-binary",
}
# Downloaded rather than shown inline: formats a browser might render with active content.
ATTACHMENT_EXTENSIONS = frozenset({"swf", "pdf", "xml"})
SAFE_PATH = re.compile(r"^[\w .()+,@~-]+(/[\w .()+,@~-]+)*$")
USER_DATA_KEY = re.compile(r"^[\w-]{1,64}$", re.ASCII)
MAX_USER_DATA_BYTES = 64 * 1024
ACCESS_CACHE_SECONDS = 60


def _package_shown_to(request, module_id, package_id):
    """The package, if the module shows it and the user may see the module; else 403 or 404.

    A player fetches dozens to hundreds of files at once, so a granted access is remembered for a minute,
    for this login session only.
    """
    session_key = request.session.session_key if request.user.is_authenticated else None
    cache_key = f"courses:h5p-access:{session_key}:{module_id}:{package_id}"
    if session_key and (package := cache.get(cache_key)) is not None:
        return package
    module = get_object_or_404(ModulePage, pk=module_id)
    if not module.is_visible_to(request.user):
        raise PermissionDenied
    if not restrictions_admit(request.user, module):
        raise PermissionDenied
    if package_id not in module.h5p_package_ids:
        raise Http404
    package = get_object_or_404(H5PPackage, pk=package_id)
    if session_key:
        cache.set(cache_key, package, ACCESS_CACHE_SECONDS)
    return package


def granted(token, model):
    """``(module, package, site origin, user)`` of a valid token for a package of ``model``; else 403."""
    try:
        module, package, origin, user = check_content_token(token)
    except ContentAccessDenied as error:
        raise PermissionDenied from error
    if not isinstance(package, model):
        raise PermissionDenied
    return module, package, origin, user


@xframe_options_exempt  # framed by the site's pages on another origin; frame-ancestors names which
@require_http_methods(["GET", "HEAD"])
def player_frame(request, token):
    """The document inside a player's sandboxed frame: h5p-standalone and our relay, nothing of the site."""
    module, package, parent_origin, user = granted(token, H5PPackage)
    origin = f"{request.scheme}://{request.get_host()}"
    saved_state = (
        ContentUserData.objects.filter(user=user, package=package, sub_content_id="0", data_type="state")
        .values_list("data", flat=True)
        .first()
    )
    config = {
        "parentOrigin": parent_origin,
        "h5pJsonPath": request.path.rstrip("/") + "/files",
        "frameJs": static(f"{STANDALONE_STATIC}/frame.bundle.js"),
        "frameCss": static(f"{STANDALONE_STATIC}/styles/h5p.css"),
        "relayJs": static("courses/js/h5p-frame-relay.js"),
        "activityIri": activity_iri(parent_origin, package),
        "savedState": saved_state or "",
    }
    response = render(
        request,
        "courses/h5p_frame.html",
        {
            "config": config,
            "standalone_js": static(f"{STANDALONE_STATIC}/main.bundle.js"),
            "frame_js": static("courses/js/h5p-frame.js"),
            "title": package.title,
        },
    )
    response["Content-Security-Policy"] = frame_csp(origin, parent_origin, evaluates_code=package.evaluates_code)
    # The URL holds the token: links the content follows must not hand it on.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD"])
def package_file(request, token, path):
    """One file of an extracted package, with its content type, for a valid token.

    Where the file comes from: streamed from storage by Django; handed to nginx with ``X-Accel-Redirect`` when
    ``H5P_X_ACCEL_REDIRECT`` names nginx's internal location for ``MEDIA_ROOT``; a presigned URL of the object
    storage when media live there. The URL changes with the token, so browsers keep a file as long as the token
    lives; ``private`` keeps shared caches from serving it to someone else. Any origin may read it (the frame's
    origin is opaque): the token, not the origin, is the permission.
    """
    _, package, _, _ = granted(token, H5PPackage)
    return serve_package_file(package, path, LIBRARY_EXTENSIONS, PACKAGE_FILE_CSP)


def serve_package_file(package, path, extensions, csp):
    """The response for one file of ``package`` (H5P or SCORM) whose extension is among ``extensions``,
    under the Content-Security-Policy ``csp``; 404 for any other path."""
    suffix = PurePosixPath(path).suffix.lower().lstrip(".")
    parts = path.split("/")
    if (
        not SAFE_PATH.match(path)
        or any(part in (".", "..") or part.startswith((".", "_")) for part in parts)
        or suffix not in extensions
    ):
        raise Http404
    name = package.file_path(path)
    content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
    attachment = suffix in ATTACHMENT_EXTENSIONS
    accel_prefix = getattr(settings, "H5P_X_ACCEL_REDIRECT", "")
    if not _is_local(default_storage):
        if not default_storage.exists(name):
            raise Http404
        return HttpResponseRedirect(default_storage.url(name))
    if accel_prefix:
        if not default_storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + name
        if attachment:
            response["Content-Disposition"] = f'attachment; filename="{parts[-1]}"'
    else:
        try:
            stored = default_storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
            raise Http404 from error
        response = FileResponse(
            stored, content_type=content_type, as_attachment=attachment, filename=parts[-1] if attachment else ""
        )
    response["Cache-Control"] = f"private, max-age={token_lifetime()}"
    response["Content-Security-Policy"] = csp
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _is_local(storage):
    """Whether ``storage`` keeps files on this machine's disk (else: object storage with presigned URLs)."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


@require_http_methods(["GET", "POST"])
def content_user_data(request, module_id, package_id):
    """H5P's ``contentUserData`` protocol for the signed-in learner (``ajax.contentUserDataUrl``).

    GET ``?dataType=state&subContentId=0`` answers ``{"success": true, "data": "<JSON text>" | false}``.
    POST (form-encoded, CSRF-protected) with ``data`` saves it, or deletes it when ``data`` is ``0``;
    answers ``{"success": true}``. The state belongs to the user and the package, whichever module shows it.
    """
    package = _package_shown_to(request, module_id, package_id)
    data_type = request.GET.get("dataType", "state")
    sub_content_id = request.GET.get("subContentId", "0")
    if not USER_DATA_KEY.match(data_type) or not USER_DATA_KEY.match(sub_content_id):
        return JsonResponse({"success": False, "message": _("Invalid data type or sub-content id.")}, status=400)
    saved = ContentUserData.objects.filter(
        user=request.user, package=package, data_type=data_type, sub_content_id=sub_content_id
    )
    if request.method == "GET":
        state = saved.values_list("data", flat=True).first()
        return JsonResponse({"success": True, "data": state if state is not None else False})
    data = request.POST.get("data")
    if data is None:
        return JsonResponse({"success": False, "message": _("No data was sent.")}, status=400)
    if data == "0":
        saved.delete()
        return JsonResponse({"success": True})
    if len(data.encode()) > MAX_USER_DATA_BYTES:
        return JsonResponse(
            {"success": False, "message": _("The saved state is too large (at most 64 KB).")}, status=413
        )
    ContentUserData.objects.update_or_create(
        user=request.user,
        package=package,
        data_type=data_type,
        sub_content_id=sub_content_id,
        defaults={"data": data},
    )
    return JsonResponse({"success": True})
