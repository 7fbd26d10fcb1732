from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail import hooks

from . import two_factor
from .consent import needs_consent, record_consent, version_in_force
from .forms import TeacherProfileForm
from .models import TeacherProfile


@login_required
def profile(request):
    teacher_profile = TeacherProfile.for_user(request.user)
    form = TeacherProfileForm(request.POST or None, instance=teacher_profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    # Other apps offer what the teacher can do next (e.g. join the expert directory) without accounts knowing them.
    links = [link for hook in hooks.get_hooks("teacher_profile_links") if (link := hook(request)) is not None]
    return render(request, "accounts/profile.html", {"form": form, "profile": teacher_profile, "links": links})


@login_required
def mfa_required(request):
    return render(request, "accounts/mfa_required.html", status=403)


def confirm_authenticator(request, key):
    """The link of the e-mail a privileged account's first authenticator sends; confirming takes a POST, so that a
    mail scanner opening the link confirms nothing."""
    context = {}
    if request.method == "POST":
        context["confirmed"] = two_factor.confirm(key) is not None
        context["invalid"] = not context["confirmed"]
    return render(
        request, "accounts/confirm_authenticator.html", context, status=400 if context.get("invalid") else 200
    )


def _policy_texts(version):
    english = (get_language() or "").startswith("en")
    return {
        "version": version,
        "privacy_text": version.privacy_en if english else version.privacy_zh,
        "terms_text": version.terms_en if english else version.terms_zh,
    }


def privacy_notice(request):
    """The privacy notice and terms in force, for anyone."""
    version = version_in_force()
    if version is None:
        raise Http404
    return render(request, "accounts/privacy_notice.html", _policy_texts(version))


@login_required
def consent(request):
    """Agree to the version in force; then on to where the person was going."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    version = needs_consent(request)
    if version is None:
        return redirect(next_url or "courses:dashboard")
    if request.method == "POST" and request.POST.get("version") == str(version.version) and request.POST.get("agree"):
        record_consent(request, version)
        messages.success(request, _("Thank you. Your consent has been recorded."))
        return redirect(next_url or "courses:dashboard")
    context = _policy_texts(version)
    context.update(next=next_url, refused=request.method == "POST")
    return render(request, "accounts/consent.html", context, status=400 if request.method == "POST" else 200)
