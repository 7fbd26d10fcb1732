from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from . import posting
from .access import access_for, policy_for
from .forms import EditForm, PostForm, ReasonForm, ThreadForm
from .models import Attachment, Board, Post, Subscription, Thread
from .search import matching

THREADS_PER_PAGE = 30


def board_for(page) -> Board:
    """The board of ``page`` (created on first use); 404 for a page whose app holds no discussions."""
    policy = policy_for(page.specific)
    if policy is None:
        raise Http404
    board, _created = Board.objects.get_or_create(page=policy.home(page.specific))
    return board


def _refused(request):
    return render(request, "discussions/members_only.html", status=403)


def _visible_threads(board, access):
    threads = board.threads.select_related("author__teacher_profile")
    return threads if access.moderate else threads.filter(hidden=False)


def _files(request):
    return request.FILES.getlist("files")


@login_required
def board(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    board = board_for(page)
    access = access_for(board, request.user)
    if not access.read:
        return _refused(request)
    form = ThreadForm(request.POST or None, request.FILES or None) if access.post else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            thread = posting.start_thread(
                board, request.user, form.cleaned_data["title"], form.cleaned_data["body"], _files(request)
            )
        except (posting.DiscussionRefused, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            return redirect("discussions:thread", thread.pk)
    query = request.GET.get("q", "").strip()
    threads = _visible_threads(board, access)
    if query:
        threads = matching(threads, query)
    return render(
        request,
        "discussions/board.html",
        {
            "board": board,
            "board_page": board.page.specific,
            "access": access,
            "form": form,
            "query": query,
            "page_obj": Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page")),
            "following": Subscription.objects.filter(user=request.user, board=board).exists(),
        },
    )


def _thread_or_404(request, thread_id):
    thread = get_object_or_404(Thread.objects.select_related("board__page"), pk=thread_id)
    access = access_for(thread.board, request.user)
    if thread.hidden and not access.moderate:
        raise Http404
    return thread, access


@login_required
def thread(request, thread_id):
    thread, access = _thread_or_404(request, thread_id)
    if not access.read:
        return _refused(request)
    form = PostForm(request.POST or None, request.FILES or None, initial={"quote": request.GET.get("quote")})
    if request.method == "POST" and form.is_valid():
        quoted = Post.objects.filter(pk=form.cleaned_data["quote"], thread=thread).first()
        try:
            post = posting.reply(thread, request.user, form.cleaned_data["body"], _files(request), quote_of=quoted)
        except (posting.DiscussionRefused, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            return redirect(f"{request.path}#post-{post.pk}")
    posts = thread.posts.select_related(
        "author__teacher_profile", "quote_of__author__teacher_profile"
    ).prefetch_related("attachments")
    if not access.moderate:
        posts = posts.filter(hidden=False)
    posts = list(posts)
    for post in posts:
        post.changeable = posting.can_change(post, request.user, access)
        post.editable = post.changeable and post.author_id == request.user.pk
    quoting = next((p for p in posts if str(p.pk) == str(request.GET.get("quote"))), None)
    other_boards = []
    if access.moderate:
        other_boards = [
            b
            for b in Board.objects.exclude(pk=thread.board_id).select_related("page")
            if access_for(b, request.user).moderate
        ]
    return render(
        request,
        "discussions/thread.html",
        {
            "thread": thread,
            "board_page": thread.board.page,
            "posts": posts,
            "access": access,
            "form": form if access.post and (not thread.locked or access.moderate) else None,
            "quoting": quoting,
            "following": Subscription.objects.filter(user=request.user, thread=thread).exists(),
            "other_boards": other_boards,
        },
    )


def _act(request, action, thread_id, success):
    try:
        action()
    except (posting.DiscussionRefused, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if success:
            messages.success(request, success)
    return redirect("discussions:thread", thread_id)


def _post_or_404(request, post_id):
    post = get_object_or_404(Post.objects.select_related("thread__board__page", "author"), pk=post_id)
    access = access_for(post.thread.board, request.user)
    if not access.read or ((post.hidden or post.thread.hidden) and not access.moderate):
        raise Http404
    return post, access


@login_required
def edit_post(request, post_id):
    post, access = _post_or_404(request, post_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    if not posting.can_change(post, request.user, access):
        messages.error(request, _("This post can no longer be edited."))
        return redirect("discussions:thread", post.thread_id)
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        return _act(
            request,
            lambda: posting.edit(post, request.user, form.cleaned_data["body"]),
            post.thread_id,
            _("Your post is updated."),
        )
    return render(request, "discussions/edit_post.html", {"post": post, "form": form})


@login_required
@require_POST
def delete_post(request, post_id):
    post, _access = _post_or_404(request, post_id)
    return _act(request, lambda: posting.delete(post, request.user), post.thread_id, _("The post is deleted."))


@login_required
@require_POST
def hide_post(request, post_id):
    post, _access = _post_or_404(request, post_id)
    if request.POST.get("action") == "unhide":
        return _act(
            request, lambda: posting.unhide_post(post, request.user), post.thread_id, _("The post is shown again.")
        )
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request, lambda: posting.hide_post(post, request.user, reason), post.thread_id, _("The post is hidden.")
    )


@login_required
@require_POST
def report_post(request, post_id):
    post, _access = _post_or_404(request, post_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        lambda: posting.report(post, request.user, reason),
        post.thread_id,
        _("Thank you. The moderators have been told."),
    )


@login_required
@require_POST
def mark_answer(request, post_id):
    post, _access = _post_or_404(request, post_id)
    chosen = None if request.POST.get("action") == "clear" else post
    return _act(
        request,
        lambda: posting.mark_answer(post.thread, request.user, chosen),
        post.thread_id,
        _("The answer is updated."),
    )


@login_required
@require_POST
def moderate_thread(request, thread_id):
    thread, _access = _thread_or_404(request, thread_id)
    target = Board.objects.filter(pk=request.POST.get("board") or None).first()
    return _act(
        request,
        lambda: posting.moderate_thread(
            thread, request.user, request.POST.get("action", ""), request.POST.get("reason", ""), target
        ),
        thread_id,
        _("The thread is updated."),
    )


@login_required
@require_POST
def follow_thread(request, thread_id):
    thread, _access = _thread_or_404(request, thread_id)
    return _act(request, lambda: posting.toggle_subscription(request.user, thread=thread), thread_id, None)


@login_required
@require_POST
def follow_board(request, board_id):
    board = get_object_or_404(Board, pk=board_id)
    try:
        posting.toggle_subscription(request.user, board=board)
    except posting.DiscussionRefused as error:
        messages.error(request, str(error))
    return redirect("discussions:board", board.page_id)


@login_required
def attachment(request, attachment_id):
    """Served only to readers of the board; anything but a checked image is a download, never shown inline."""
    found = get_object_or_404(Attachment.objects.select_related("post__thread__board__page"), pk=attachment_id)
    post = found.post
    access = access_for(post.thread.board, request.user)
    if not access.read or ((post.hidden or post.thread.hidden) and not access.moderate) or post.deleted_at:
        raise Http404
    response = FileResponse(
        found.file.open("rb"), content_type=found.content_type, as_attachment=not found.is_image, filename=found.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
