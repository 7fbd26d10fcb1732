from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import attendance
from courses.models import Attendance

from .contact import ContactLimitReached, contact_address, send_contact_request
from .directory import expert_directory_url, qualifying_certificates
from .forms import AttendanceCSVForm, CommunitySessionForm, ContactRequestForm, ExpertOptInForm
from .models import CommunityPage, CommunitySession, Expert


def live_community(page_id):
    return get_object_or_404(CommunityPage.objects.live().public(), pk=page_id)


@login_required
@require_POST
def join(request, page_id):
    community = live_community(page_id)
    community.join(request.user)
    messages.success(request, _("You joined %(community)s.") % {"community": community.title})
    return redirect(community.url)


@login_required
@require_POST
def leave(request, page_id):
    community = live_community(page_id)
    community.leave(request.user)
    messages.success(request, _("You left %(community)s.") % {"community": community.title})
    return redirect(community.url)


def facilitated_community(request, page_id):
    """The community, if the signed-in user facilitates it; facilitators manage only their own communities."""
    community = live_community(page_id)
    if not community.is_facilitator(request.user):
        raise PermissionDenied
    return community


def facilitated_session(request, session_id):
    session = get_object_or_404(
        CommunitySession.objects.select_related("community", "training_session"), pk=session_id
    )
    if not session.community.is_facilitator(request.user):
        raise PermissionDenied
    return session


@login_required
def manage_community(request, page_id):
    community = facilitated_community(request, page_id)
    form = CommunitySessionForm(request.POST or None, community=community.network)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, _("Session “%(title)s” scheduled.") % {"title": session.title})
        return redirect("community:manage", page_id=community.pk)
    sessions = community.sessions().annotate(attended=Count("training_session__attendances")).reverse()
    return render(
        request,
        "community/manage_community.html",
        {"community": community, "sessions": sessions, "form": form, "member_count": community.members().count()},
    )


@login_required
def edit_session(request, session_id):
    session = facilitated_session(request, session_id)
    form = CommunitySessionForm(request.POST or None, instance=session, community=session.community)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Session saved."))
        return redirect("community:manage", page_id=session.community.pk)
    return render(request, "community/edit_session.html", {"session": session, "form": form})


@login_required
def session_attendance(request, session_id):
    """Tick members on a list, upload a CSV of e-mail addresses, or open a check-in code: the workshop mechanism."""
    session = facilitated_session(request, session_id)
    training = session.training_session
    csv_form = AttendanceCSVForm()
    report = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "list":
            members = session.community.members().filter(user_id__in=request.POST.getlist("attendee"))
            for membership in members.select_related("user"):
                attendance.record_attendance(training, membership.user, Attendance.Method.LIST, request.user)
            messages.success(request, _("Attendance saved."))
            return redirect("community:session_attendance", session_id=session.pk)
        if action == "csv":
            csv_form = AttendanceCSVForm(request.POST, request.FILES)
            if csv_form.is_valid():
                try:
                    report = attendance.attendance_from_csv(
                        training,
                        csv_form.cleaned_data["file"],
                        request.user,
                        participants=session.community.members().values("user_id"),
                        outsider=_("not a member of this community"),
                    )
                except attendance.AttendanceError as error:
                    csv_form.add_error("file", str(error))
        if action == "code":
            attendance.issue_checkin_code(training)
            messages.success(request, _("Check-in code opened."))
            return redirect("community:session_attendance", session_id=session.pk)
    attended = set(Attendance.objects.filter(session=training).values_list("user_id", flat=True))
    members = session.community.members().select_related("user__teacher_profile").order_by("joined_at")
    return render(
        request,
        "community/session_attendance.html",
        {
            "session": session,
            "training": training,
            "members": members,
            "attended": attended,
            "attendance_count": len(attended),
            "csv_form": csv_form,
            "report": report,
            "code_is_open": bool(training.checkin_code)
            and (training.checkin_code_expires_at is None or training.checkin_code_expires_at > timezone.now()),
        },
    )


@login_required
def expert_opt_in(request):
    """A teacher with a valid Advanced certificate adds themselves to the expert directory, or edits their entry."""
    certificates = qualifying_certificates(request.user)
    entry = Expert.objects.filter(user=request.user).first()
    if not certificates:
        return render(request, "community/expert_opt_in.html", {"qualified": False, "entry": entry}, status=403)
    if entry is None:
        entry = Expert(user=request.user, email=request.user.email, **profile_names(request.user))
    form = ExpertOptInForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your entry in the expert directory is saved."))
        return redirect("community:expert_opt_in")
    return render(
        request,
        "community/expert_opt_in.html",
        {"qualified": True, "form": form, "entry": entry, "directory_url": expert_directory_url(request)},
    )


def profile_names(user):
    profile = getattr(user, "teacher_profile", None)
    if profile is None:
        return {}
    return {"name_zh": profile.name_zh, "name_en": profile.name_en, "organisation_zh": profile.school}


@login_required
@require_POST
def contact_expert(request, expert_id):
    expert = get_object_or_404(Expert.objects.listed(), pk=expert_id)
    back = expert_directory_url(request, expert)
    if not contact_address(expert):
        messages.error(request, _("This expert cannot be contacted through the directory."))
        return redirect(back)
    form = ContactRequestForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("message", []):
            messages.error(request, error)
        return redirect(back)
    try:
        send_contact_request(request.user, expert, form.cleaned_data["message"])
    except ContactLimitReached:
        messages.error(request, _("You have sent as many contact requests as one day allows. Please try tomorrow."))
        return redirect(back)
    messages.success(request, _("Your message was sent to %(name)s.") % {"name": expert.name})
    return redirect(back)
