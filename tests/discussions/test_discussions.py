"""Community discussions and course Q&A: who may read and post, moderation, sanitising, attachments, rate limits,
subscriptions, Chinese search, and the cost of a long thread."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from discussions import posting
from discussions.models import Attachment, Board, Post, Report, Thread
from discussions.sanitising import clean_body
from discussions.search import matching
from discussions.views import board_for
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def board(community):
    return board_for(community)


@pytest.fixture
def thread(board, member):
    return posting.start_thread(board, member, "跨文化教案分享", "大家好，分享我的教案。")


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class TestPermissions:
    def test_non_member_can_neither_read_nor_post(self, board, thread, outsider):
        client = client_for(outsider)
        assert client.get(reverse("discussions:board", args=[board.page_id])).status_code == 403
        response = client.get(reverse("discussions:thread", args=[thread.pk]))
        assert response.status_code == 403 and "跨文化教案分享" not in response.content.decode()
        response = client.post(reverse("discussions:thread", args=[thread.pk]), {"body": "我也想加入"})
        assert response.status_code == 403
        with pytest.raises(posting.DiscussionRefused):
            posting.reply(thread, outsider, "闖入")
        with pytest.raises(posting.DiscussionRefused):
            posting.start_thread(board, outsider, "標題", "內容")
        assert thread.posts.count() == 1

    def test_anonymous_visitor_is_sent_to_log_in(self, client, board):
        response = client.get(reverse("discussions:board", args=[board.page_id]))
        assert response.status_code == 302 and "login" in response.url

    def test_member_reads_and_posts_through_the_pages(self, board, member, second_member):
        client = client_for(member)
        response = client.post(
            reverse("discussions:board", args=[board.page_id]), {"title": "雙語課程設計", "body": "第一篇"}
        )
        thread = Thread.objects.get(title="雙語課程設計")
        assert response.status_code == 302
        client_for(second_member).post(reverse("discussions:thread", args=[thread.pk]), {"body": "回覆內容"})
        page = client.get(reverse("discussions:thread", args=[thread.pk])).content.decode()
        assert "第一篇" in page and "回覆內容" in page

    def test_a_member_who_leaves_loses_access(self, community, board, thread, member):
        community.leave(member)
        assert client_for(member).get(reverse("discussions:thread", args=[thread.pk])).status_code == 403

    def test_hidden_post_invisible_to_members_but_not_moderators(self, thread, member, second_member, facilitator):
        post = posting.reply(thread, second_member, "不當內容 offensive")
        posting.hide_post(post, facilitator, "人身攻擊")
        url = reverse("discussions:thread", args=[thread.pk])
        assert "offensive" not in client_for(member).get(url).content.decode()
        assert "offensive" not in client_for(second_member).get(url).content.decode()
        moderator_view = client_for(facilitator).get(url).content.decode()
        assert "offensive" in moderator_view and "人身攻擊" in moderator_view
        hidden = Notification.objects.get(recipient=second_member, event="post_hidden")
        assert hidden.context["reason"] == "人身攻擊"

    def test_only_moderators_moderate(self, thread, member, second_member):
        post = posting.reply(thread, second_member, "內容")
        with pytest.raises(posting.DiscussionRefused):
            posting.hide_post(post, member, "我不喜歡")
        for action in ("pin", "lock", "hide"):
            with pytest.raises(posting.DiscussionRefused):
                posting.moderate_thread(thread, member, action, "reason")
        thread.refresh_from_db()
        assert not (thread.pinned or thread.locked or thread.hidden)

    def test_hidden_thread_is_gone_for_members_listed_for_moderators(self, board, thread, member, facilitator):
        posting.moderate_thread(thread, facilitator, "hide", "重複的討論串")
        assert client_for(member).get(reverse("discussions:thread", args=[thread.pk])).status_code == 404
        listing = reverse("discussions:board", args=[board.page_id])
        assert "跨文化教案分享" not in client_for(member).get(listing).content.decode()
        assert "跨文化教案分享" in client_for(facilitator).get(listing).content.decode()

    def test_hiding_needs_a_reason(self, thread, facilitator):
        with pytest.raises(posting.DiscussionRefused):
            posting.moderate_thread(thread, facilitator, "hide", "  ")

    def test_lock_pin_and_move(self, home_page, thread, member, facilitator, board):
        posting.moderate_thread(thread, facilitator, "lock")
        posting.moderate_thread(thread, facilitator, "pin")
        with pytest.raises(posting.DiscussionRefused):
            posting.reply(thread, member, "還能回覆嗎")
        thread.refresh_from_db()
        assert thread.locked and thread.pinned
        from tests.community.factories import CommunityIndexPageFactory, CommunityPageFactory

        other = CommunityPageFactory(parent=CommunityIndexPageFactory(parent=home_page, slug="more"), title="另一社群")
        other_board = board_for(other)
        with pytest.raises(posting.DiscussionRefused):
            posting.moderate_thread(thread, facilitator, "move", board=other_board)
        other.facilitators.add(facilitator)
        other.save()
        other_board.refresh_from_db()
        posting.moderate_thread(thread, facilitator, "move", board=other_board)
        thread.refresh_from_db()
        assert thread.board == other_board


class TestEditing:
    def test_author_edits_within_the_window_only(self, thread, member, second_member, settings):
        post = thread.posts.get()
        posting.edit(post, member, "更正後的內容")
        assert "更正後的內容" in Post.objects.get(pk=post.pk).body
        with pytest.raises(posting.DiscussionRefused):
            posting.edit(post, second_member, "冒名修改")
        settings.DISCUSSION_EDIT_MINUTES = 0
        with pytest.raises(posting.DiscussionRefused):
            posting.edit(post, member, "太晚了")
        with pytest.raises(posting.DiscussionRefused):
            posting.delete(post, member)

    def test_moderator_deletes_any_time(self, thread, facilitator, settings):
        settings.DISCUSSION_EDIT_MINUTES = 0
        post = thread.posts.get()
        posting.delete(post, facilitator)
        post.refresh_from_db()
        assert post.deleted_at is not None and post.body == ""


class TestSanitising:
    @pytest.mark.parametrize(
        "hostile, forbidden",
        [
            ("<p>hi</p><script>alert(1)</script>", "<script"),
            ('<img src="x.png" onerror="alert(1)">', "onerror"),
            ('<p onclick="steal()">click</p>', "onclick"),
            ('<a href="javascript:alert(1)">link</a>', "javascript:"),
            ('<a href="JaVaScRiPt:alert(1)">link</a>', "avascript"),
            ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
            ('<p style="position:fixed;top:0;left:0;width:100%">overlay</p>', "style"),
            ("<style>body{display:none}</style><p>x</p>", "display:none"),
            ('<div class="message-success">fake notice</div>', "class"),
            ('<iframe src="https://evil.example"></iframe>', "iframe"),
            ("<svg><script>alert(1)</script></svg>", "<svg"),
            ('<form action="https://evil.example"><input name="password"></form>', "<form"),
        ],
    )
    def test_hostile_markup_is_removed(self, hostile, forbidden):
        assert forbidden.lower() not in clean_body(hostile).lower()

    def test_structure_and_links_survive(self):
        body = clean_body('<p><strong>重點</strong> <a href="https://www.edu.tw">教育部</a></p><ul><li>一</li></ul>')
        assert "<strong>重點</strong>" in body and 'href="https://www.edu.tw"' in body and "<li>一</li>" in body
        assert 'rel="nofollow noopener noreferrer ugc"' in body

    def test_plain_text_keeps_lines_and_links(self):
        body = clean_body("第一行\n第二行 https://www.edu.tw <不是標籤")
        assert "<br>" in body and 'href="https://www.edu.tw"' in body

    def test_cleaned_on_save(self, thread, member):
        post = posting.reply(thread, member, '<p onmouseover="x()">回覆</p><script>alert(1)</script>')
        stored = Post.objects.get(pk=post.pk).body
        assert stored == "<p>回覆</p>"


class TestAttachments:
    def test_image_and_document_are_kept_and_served_to_members_only(self, thread, member, outsider):
        pdf = SimpleUploadedFile("教案.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
        post = posting.reply(thread, member, "附件", files=[png(), pdf])
        image, document = post.attachments.order_by("pk")
        assert image.is_image and not document.is_image
        response = client_for(member).get(reverse("discussions:attachment", args=[document.pk]))
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert client_for(outsider).get(reverse("discussions:attachment", args=[image.pk])).status_code == 404

    @pytest.mark.parametrize(
        "upload",
        [
            SimpleUploadedFile("evil.html", b"<script>alert(1)</script>", content_type="text/html"),
            SimpleUploadedFile("evil.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml"),
            SimpleUploadedFile("fake.png", b"<script>alert(1)</script>", content_type="image/png"),
            SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf"),
            SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        ],
        ids=["html", "svg", "png-that-is-not", "pdf-that-is-not", "exe"],
    )
    def test_forbidden_or_disguised_files_are_refused_and_nothing_is_posted(self, thread, member, upload):
        with pytest.raises(ValidationError):
            posting.reply(thread, member, "附件", files=[upload])
        assert thread.posts.count() == 1 and not Attachment.objects.exists()

    def test_too_large_is_refused_with_a_message(self, thread, member, settings):
        settings.DISCUSSION_ATTACHMENT_MAX_BYTES = 10
        response = client_for(member).post(
            reverse("discussions:thread", args=[thread.pk]), {"body": "大檔案", "files": [png()]}
        )
        assert response.status_code == 200 and 'class="form-errors"' in response.content.decode()
        assert thread.posts.count() == 1


class TestRateLimit:
    def test_posting_is_limited_per_person(self, thread, member, second_member, settings):
        settings.DISCUSSION_POSTS_PER_MINUTE = 3
        for number in range(2):
            posting.reply(thread, member, f"第 {number} 則")
        with pytest.raises(posting.DiscussionRefused):
            posting.reply(thread, member, "太快了")
        posting.reply(thread, second_member, "另一位的額度是自己的")
        assert thread.posts.filter(author=member).count() == 3


class TestSubscriptions:
    def test_followers_of_thread_and_board_are_told_once(self, board, thread, member, second_member, facilitator):
        posting.toggle_subscription(facilitator, board=board)
        posting.toggle_subscription(facilitator, thread=thread)
        posting.reply(thread, second_member, "我的回覆")
        assert Notification.objects.filter(recipient=member, event="reply").count() == 1
        assert Notification.objects.filter(recipient=facilitator, event="reply").count() == 1
        assert not Notification.objects.filter(recipient=second_member).exists(), "no news of one's own post"
        posting.reply(thread, member, "謝謝")
        assert Notification.objects.filter(recipient=second_member, event="reply").count() == 1, "replying follows"

    def test_unfollowing_stops_news(self, thread, member, second_member):
        assert posting.toggle_subscription(member, thread=thread) is False
        posting.reply(thread, second_member, "回覆")
        assert not Notification.objects.filter(recipient=member).exists()

    def test_board_followers_hear_of_new_threads(self, board, member, second_member):
        posting.toggle_subscription(second_member, board=board)
        posting.start_thread(board, member, "新主題", "內容")
        assert Notification.objects.get(recipient=second_member).event == "new_thread"

    def test_a_follower_who_left_is_not_told(self, community, board, thread, member, second_member):
        community.leave(member)
        posting.reply(thread, second_member, "回覆")
        assert not Notification.objects.filter(recipient=member).exists()

    def test_outsider_cannot_follow(self, board, outsider):
        with pytest.raises(posting.DiscussionRefused):
            posting.toggle_subscription(outsider, board=board)


class TestReports:
    def test_report_reaches_the_facilitator_once(self, thread, second_member, facilitator):
        post = thread.posts.get()
        assert posting.report(post, second_member, "廣告內容") is True
        assert posting.report(post, second_member, "再次檢舉") is False
        assert Report.objects.count() == 1
        notice = Notification.objects.get(recipient=facilitator, event="post_reported")
        assert notice.context["reason"] == "廣告內容"


class TestSearch:
    def test_chinese_substrings_in_titles_and_posts(self, board, thread, member, second_member):
        other = posting.start_thread(board, second_member, "數位學習工具", "推薦線上協作平臺")
        posting.reply(other, member, "國際交流的經驗")
        threads = Thread.objects.filter(board=board)
        assert list(matching(threads, "教案")) == [thread]
        assert list(matching(threads, "協作")) == [other]
        assert list(matching(threads, "交流")) == [other], "found in a reply"
        assert list(matching(threads, "數位 平臺")) == [other], "every term must appear"
        assert list(matching(threads, "數位 教案")) == []

    def test_hidden_posts_are_not_searchable(self, board, thread, member, facilitator):
        post = posting.reply(thread, member, "秘密關鍵字")
        posting.hide_post(post, facilitator, "離題")
        assert list(matching(Thread.objects.filter(board=board), "秘密關鍵字")) == []

    def test_search_page(self, board, thread, member):
        page = client_for(member).get(reverse("discussions:board", args=[board.page_id]), {"q": "教案"})
        assert "跨文化教案分享" in page.content.decode()


class TestCourseQuestions:
    def test_enrolled_learners_and_trainers_take_part_others_do_not(self, course_page, learner, trainer, outsider):
        board = board_for(course_page)
        question = posting.start_thread(board, learner, "作業如何繳交？", "請問期末作業的格式？")
        answer = posting.reply(question, trainer, "請上傳 PDF。")
        learner_reply = posting.reply(question, learner, "謝謝老師")
        with pytest.raises(posting.DiscussionRefused):
            posting.reply(question, outsider, "我沒選課")
        with pytest.raises(posting.DiscussionRefused):
            posting.mark_answer(question, learner, answer)
        with pytest.raises(posting.DiscussionRefused):
            posting.mark_answer(question, trainer, learner_reply)
        posting.mark_answer(question, trainer, answer)
        question.refresh_from_db()
        assert question.answer == answer
        page = client_for(learner).get(reverse("discussions:thread", args=[question.pk])).content.decode()
        assert "post-answer" in page

    def test_community_board_has_no_answers(self, thread, facilitator):
        with pytest.raises(posting.DiscussionRefused):
            posting.mark_answer(thread, facilitator, thread.posts.get())

    def test_a_page_without_discussions_has_no_board(self, client, home_page, member):
        response = client_for(member).get(reverse("discussions:board", args=[home_page.pk]))
        assert response.status_code == 404 and not Board.objects.exists()


def test_a_thread_of_200_replies_costs_a_bounded_number_of_queries(
    board, thread, member, second_member, django_assert_max_num_queries, settings
):
    settings.DISCUSSION_POSTS_PER_MINUTE = 1000
    quoted = thread.posts.get()
    for number in range(200):
        author = member if number % 2 else second_member
        post = posting.reply(thread, author, f"回覆 {number}", quote_of=quoted if number % 3 == 0 else None)
        if number % 10 == 0:
            Attachment.objects.create(post=post, file="discussions/x.pdf", name="x.pdf", size=1, content_type="a")
    client = client_for(member)
    url = reverse("discussions:thread", args=[thread.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count('class="post card') == 201


class TestMentions:
    def test_a_member_named_with_at_is_told_once(self, board, thread, member, second_member, outsider):
        from tests.accounts.factories import TeacherProfileFactory

        TeacherProfileFactory(user=second_member, name_zh="王小明")
        TeacherProfileFactory(user=outsider, name_zh="李大同")
        posting.toggle_subscription(second_member, thread=thread)
        posting.reply(thread, member, "@王小明 請參考這份教案；@李大同 也看看")
        assert list(Notification.objects.filter(recipient=second_member).values_list("event", flat=True)) == [
            "mention"
        ], "mentioned, not told twice"
        assert not Notification.objects.filter(recipient=outsider).exists(), "not a member: not told"

    def test_a_mention_in_a_new_thread(self, board, member, facilitator):
        from tests.accounts.factories import TeacherProfileFactory

        TeacherProfileFactory(user=facilitator, name_zh="陳老師")
        posting.start_thread(board, member, "請教", "@陳老師 想請教社群聚會時間")
        assert Notification.objects.get(recipient=facilitator).event == "mention"
