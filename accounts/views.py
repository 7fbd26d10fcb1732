from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail import hooks

from . import two_factor
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
