"""The Content Security Policy: everything the site runs comes from the site itself.

Public pages allow scripts from our own origin only, plus inline scripts that carry the request's nonce
(`<script nonce="{{ request.csp_nonce }}">`). H5P packages never run under this policy: they play in sandboxed
frames on the content origin, with the frame's own policy (`courses.h5p.player.frame_csp`). The Wagtail admin
still renders a few inline scripts of its own (date pickers, inline panels), so
its pages also allow inline scripts; they are reachable only by staff signed in with two factors.
"""

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

# Video blocks embed players from these sites (Wagtail's oEmbed video block).
VIDEO_FRAME_SOURCES = ["https://www.youtube-nocookie.com", "https://www.youtube.com", "https://player.vimeo.com"]

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def content_security_policy(form_targets=()):
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            # H5P content types and Wagtail set style attributes in their markup.
            "style-src": [SELF, UNSAFE_INLINE],
            "img-src": [SELF, "data:", "blob:"],
            "font-src": [SELF, "data:"],
            "media-src": [SELF, "blob:"],
            "connect-src": [SELF],
            "frame-src": [SELF, *VIDEO_FRAME_SOURCES],
            "frame-ancestors": [SELF],
            "form-action": [SELF, *form_targets],
            "base-uri": [SELF],
            "object-src": [NONE],
        }
    }


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            # A nonce or hash in script-src makes browsers ignore 'unsafe-inline', so the admin's policy has neither.
            parts = PolicyParts(
                config=parts.config,
                update=parts.update,
                replace={**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE]},
                nonce=None,
            )
        return parts
