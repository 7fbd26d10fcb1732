from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail import hooks

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
