from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .centre import mark_all_read, mark_read, shown_to
from .forms import PreferencesForm
from .kinds import Kind
from .preferences import choices_for, choose, stop_email
from .unsubscribe import EVERY_KIND, read_unsubscribe_token

PER_PAGE = 30


@login_required
def notification_list(request):
    page = Paginator(shown_to(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@login_required
@require_POST
def open_notification(request, notification_id):
    """Mark read and go where the notification points, if that is on this site."""
    notification = mark_read(request.user, notification_id)
    if notification is None:
        raise Http404
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request):
    mark_all_read(request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, choices=choices_for(request.user))
    if request.method == "POST" and form.is_valid():
        for kind, in_app, email in form.chosen():
            choose(request.user, kind, in_app=in_app, email=email)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt
def unsubscribe(request, token):
    """RFC 8058 one-click: a POST to the link stops the e-mail, with no sign-in and no CSRF token (the signed token
    is the authority). A GET, which mail scanners send on their own, only asks to confirm."""
    found = read_unsubscribe_token(token)
    user = get_user_model().objects.filter(pk=found[0]).first() if found else None
    if user is None or (found[1] != EVERY_KIND and found[1] not in Kind.values):
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    kind = found[1]
    kinds = list(Kind) if kind == EVERY_KIND else [Kind(kind)]
    if request.method == "POST":
        stop_email(user, kinds)
        return render(request, "notifications/unsubscribe.html", {"done": True, "kinds": kinds})
    return render(request, "notifications/unsubscribe.html", {"kinds": kinds})
