"""The two things an editor does to a framework version besides editing a draft: publish it, or start the next."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .models import Framework


def _framework_for(request, pk, permission):
    if not request.user.has_perm(f"competencies.{permission}_framework"):
        raise PermissionDenied
    return get_object_or_404(Framework, pk=pk)


def _confirm(request, framework, heading, text, action):
    return TemplateResponse(
        request,
        "competencies/admin/confirm.html",
        {"framework": framework, "heading": heading, "text": text, "action": action},
    )


def _listing():
    return redirect("wagtailsnippets_competencies_framework:list")


def publish(request, pk):
    framework = _framework_for(request, pk, "change")
    if request.method != "POST":
        return _confirm(
            request,
            framework,
            _("Publish %(framework)s") % {"framework": framework},
            _(
                "A published version is frozen: certificates will cite it, and changes need a new version. "
                "The version published before it is retired."
            ),
            _("Publish"),
        )
    try:
        framework.publish()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(framework)s is published.") % {"framework": framework})
    return _listing()


def new_version(request, pk):
    framework = _framework_for(request, pk, "add")
    if request.method != "POST":
        return _confirm(
            request,
            framework,
            _("New version of %(framework)s") % {"framework": framework},
            _("A draft copy of this version, with its areas and indicators, is made for you to edit and publish."),
            _("Make a new version"),
        )
    copy = framework.new_version()
    messages.success(
        request, _("Version %(version)s is a draft: edit it, then publish it.") % {"version": copy.version}
    )
    return _listing()
