from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import review
from .choices import Status
from .citation import author_names, citation_line
from .forms import ResourceFilterForm, ResourceForm, ReviewForm
from .models import Favourite, Resource
from .tasks import draw_preview

PAGE_SIZE = 24


def _listing(resources):
    return resources.select_related("author__teacher_profile").only(
        "pk",
        "title",
        "summary",
        "kind",
        "school_level",
        "subject_domain",
        "theme",
        "language",
        "licence",
        "preview",
        "download_count",
        "accepted_at",
        "author__email",
        "author__first_name",
        "author__last_name",
        "author__teacher_profile__name_zh",
        "author__teacher_profile__name_en",
    )


def resource_list(request):
    form = ResourceFilterForm(request.GET or None)
    resources = _listing(Resource.objects.public())
    if form.is_bound:
        resources = form.filter(resources)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/resource_list.html",
        {"form": form, "page_obj": page, "resources": page.object_list, "query_string": query.urlencode()},
    )


def author_resources(request, user_id):
    """A teacher's public page of resources: what they wrote or co-wrote that was accepted."""
    author = get_object_or_404(get_user_model().objects.select_related("teacher_profile"), pk=user_id, is_active=True)
    resources = Resource.objects.public().by(author)
    page = Paginator(_listing(resources), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "resources/author_resources.html", {"author": author, "page_obj": page, "resources": page.object_list}
    )


def _visible(request, pk):
    resource = get_object_or_404(Resource.objects.select_related("author__teacher_profile"), pk=pk)
    if not review.can_view(request.user, resource):
        raise Http404
    return resource


def resource_detail(request, pk):
    resource = _visible(request, pk)
    user = request.user
    is_author = review.is_author(user, resource)
    context = {
        "resource": resource,
        "authors": author_names(resource),
        "indicators": resource.indicators.with_framework(),
        "citation": citation_line(resource, request.build_absolute_uri(resource.get_absolute_url())),
        "is_author": is_author,
        "can_edit": review.can_edit(user, resource),
        "can_review": review.can_review(user, resource),
        "is_favourite": user.is_authenticated and Favourite.objects.filter(user=user, resource=resource).exists(),
        "events": resource.review_events.select_related("actor") if is_author or review.is_reviewer(user) else None,
    }
    return render(request, "resources/resource_detail.html", context)


def download(request, pk):
    """The file (or the link) of a resource; each download of a public resource is counted once, here."""
    resource = _visible(request, pk)
    if resource.is_public:
        Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    if not resource.file:
        if not resource.url:
            raise Http404
        return redirect(resource.url)
    name = resource.file.name.rsplit("/", 1)[-1]
    response = FileResponse(resource.file.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def preview(request, pk):
    resource = _visible(request, pk)
    if not resource.preview:
        raise Http404
    response = FileResponse(resource.preview.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def toggle_favourite(request, pk):
    resource = get_object_or_404(Resource.objects.public(), pk=pk)
    favourite, created = Favourite.objects.get_or_create(user=request.user, resource=resource)
    if created:
        messages.success(request, _("“%(title)s” is in your favourites.") % {"title": resource.title})
    else:
        favourite.delete()
        messages.success(request, _("“%(title)s” is no longer in your favourites.") % {"title": resource.title})
    return redirect(resource.get_absolute_url())


@login_required
def my_resources(request):
    user = request.user
    context = {
        "resources": Resource.objects.by(user).order_by("-updated_at"),
        "favourites": _listing(Resource.objects.public().filter(favourites__user=user)).order_by(
            "-favourites__created_at"
        ),
    }
    return render(request, "resources/my_resources.html", context)


def _save_and_maybe_submit(request, form):
    with transaction.atomic():
        new_file = "file" in form.changed_data
        resource = form.save()
        if new_file and resource.preview:
            resource.preview.delete(save=False)
            Resource.objects.filter(pk=resource.pk).update(preview="")
        if "submit" in request.POST:
            review.submit(resource, request.user)
        if new_file and resource.file:
            transaction.on_commit(lambda: draw_preview.enqueue(resource.pk))
    if "submit" in request.POST:
        messages.success(request, _("“%(title)s” was submitted for review.") % {"title": resource.title})
    else:
        messages.success(request, _("“%(title)s” was saved as a draft.") % {"title": resource.title})
    return redirect(resource.get_absolute_url())


@login_required
def create_resource(request):
    form = ResourceForm(request.POST or None, request.FILES or None, author=request.user)
    if request.method == "POST" and form.is_valid():
        return _save_and_maybe_submit(request, form)
    return render(request, "resources/resource_form.html", {"form": form, "resource": None})


@login_required
def edit_resource(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    if not review.can_edit(request.user, resource):
        raise PermissionDenied
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource, author=resource.author)
    if request.method == "POST" and form.is_valid():
        return _save_and_maybe_submit(request, form)
    events = resource.review_events.select_related("actor")
    return render(request, "resources/resource_form.html", {"form": form, "resource": resource, "events": events})


@login_required
@require_POST
def submit_resource(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    review.submit(resource, request.user)
    messages.success(request, _("“%(title)s” was submitted for review.") % {"title": resource.title})
    return redirect(resource.get_absolute_url())


def _reviewer_only(request):
    if not review.is_reviewer(request.user):
        raise PermissionDenied


@login_required
def review_queue(request):
    _reviewer_only(request)
    waiting = (
        Resource.objects.filter(status=Status.SUBMITTED)
        .exclude(author=request.user)
        .select_related("author__teacher_profile")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(waiting, 50).get_page(request.GET.get("page"))
    return render(request, "resources/review_queue.html", {"page_obj": page, "resources": page.object_list})


@login_required
def review_resource(request, pk):
    _reviewer_only(request)
    resource = get_object_or_404(Resource.objects.select_related("author__teacher_profile"), pk=pk)
    if not review.can_review(request.user, resource):
        messages.error(request, _("This resource is not waiting for your review."))
        return redirect("resources:review_queue")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"].strip()
        decide = {"accept": review.accept, "changes": review.request_changes, "decline": review.decline}[action]
        decide(resource, request.user, comment)
        messages.success(
            request, _("Your decision on “%(title)s” was sent to its authors.") % {"title": resource.title}
        )
        return redirect("resources:review_queue")
    context = {
        "resource": resource,
        "form": form,
        "authors": author_names(resource),
        "indicators": resource.indicators.with_framework(),
        "events": resource.review_events.select_related("actor"),
    }
    return render(request, "resources/review_resource.html", context)
