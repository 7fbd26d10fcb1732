import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail_factories import ImageFactory

from certification.models import Certificate, CertificationProgramme
from certification.registry.issuing import revoke_certificate
from community.choices import ExpertiseArea
from community.contact import REQUESTS_PER_DAY
from community.directory import PHOTO_FILTER, directory_changed, directory_context
from community.models import ContactRequest, Expert

from .factories import ExpertFactory, TeacherProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verification_pages():
    """Badges link to the certificate's verification page, which the certification app serves."""
    try:
        reverse("certification:verify_certificate", kwargs={"public_id": "x"})
    except NoReverseMatch:
        pytest.skip("certification:verify_certificate is not routed yet")


def names(response):
    """The English names of the experts whose cards the page shows (read from the HTML: a result list served from
    the cache has no template context)."""
    cards = response.content.decode().split('<ul class="card-grid expert-list">', 1)[1].split("</ul>", 1)[0]
    pks = [int(pk) for pk in re.findall(r'<h2><a href="[^"]*/(\d+)/">', cards)]
    return set(Expert.objects.filter(pk__in=pks).values_list("name_en", flat=True))


def directory(client, expert_index, **params):
    response = client.get(expert_index.url, params)
    assert response.status_code == 200
    return response


def issue(user, slug="advanced"):
    programme, _created = CertificationProgramme.objects.get_or_create(
        slug=slug, defaults={"name_zh": "國際教育進階認證", "name_en": "Advanced certificate"}
    )
    return Certificate.objects.create(
        user=user,
        programme=programme,
        status=Certificate.Status.ISSUED,
        origin=Certificate.Origin.MANUAL,
        public_id=f"pub{user.pk}{slug}",
        verification_code=f"CODE{user.pk:05d}{slug[:3]}",
        serial=f"IE-2026-{user.pk:05d}-{slug[:3]}",
        holder_name_zh="林老師",
        holder_name_en="Teacher Lin",
        programme_name_zh=programme.name_zh,
        programme_name_en=programme.name_en,
        hours=30,
        issued_on=timezone.localdate(),
    )


class TestSearch:
    @pytest.fixture(autouse=True)
    def experts(self, expert_index):
        ExpertFactory(
            name_zh="王雅婷",
            name_en="Ya-Ting Wang",
            bio_zh="推動姊妹校交流十餘年，帶領學生赴日本參訪。",
            bio_en="Has led sister-school programmes with Japan for a decade.",
            expertise=["exchange"],
            languages=["zh", "ja"],
            regions=["tainan_city"],
            availability=["mentor"],
        )
        ExpertFactory(
            name_zh="陳冠宇",
            name_en="Kuan-Yu Chen",
            bio_zh="研究課程統整與素養導向評量。",
            bio_en="Researches curriculum integration and assessment.",
            expertise=["curriculum", "global_citizenship"],
            languages=["zh", "en"],
            regions=["taipei_city", "new_taipei_city"],
            availability=["speaker", "consultant"],
        )
        ExpertFactory(
            name_zh="黃淑芬",
            name_en="Shu-Fen Huang",
            bio_zh="協助學校建立國際夥伴關係。",
            bio_en="Helps schools build international partnerships.",
            expertise=["sister_school"],
            languages=["en", "vi"],
            regions=["hualien_county"],
            availability=["consultant"],
        )
        ExpertFactory(name_en="Hidden Expert", bio_en="Sister-school exchange", is_listed=False)

    def test_everyone_listed_is_shown_and_unlisted_never(self, client, expert_index):
        assert names(directory(client, expert_index)) == {"Ya-Ting Wang", "Kuan-Yu Chen", "Shu-Fen Huang"}

    def test_english_full_text(self, client, expert_index):
        assert names(directory(client, expert_index, q="curriculum")) == {"Kuan-Yu Chen"}
        assert names(directory(client, expert_index, q="partnerships")) == {"Shu-Fen Huang"}
        assert names(directory(client, expert_index, q="Wang")) == {"Ya-Ting Wang"}
        assert names(directory(client, expert_index, q="zzzz-nothing")) == set()

    def test_a_two_character_chinese_query_finds_longer_words(self, client, expert_index):
        # 「姊妹」 is inside 「姊妹校交流」 in one biography, and in the label of the other expert's expertise area.
        assert names(directory(client, expert_index, q="姊妹")) == {"Ya-Ting Wang", "Shu-Fen Huang"}
        assert names(directory(client, expert_index, q="統整")) == {"Kuan-Yu Chen"}
        assert names(directory(client, expert_index, q="雅婷")) == {"Ya-Ting Wang"}

    def test_expertise_labels_are_found_in_both_languages(self, client, expert_index):
        with translation.override("zh-hant"):
            assert str(ExpertiseArea.SISTER_SCHOOL.label) == "姊妹校交流"
        assert "Shu-Fen Huang" in names(directory(client, expert_index, q="Sister-school"))
        assert names(directory(client, expert_index, q="全球公民")) == {"Kuan-Yu Chen"}

    @pytest.mark.parametrize(
        "params, expected",
        [
            ({"expertise": "exchange"}, {"Ya-Ting Wang"}),
            ({"expertise": "sister_school"}, {"Shu-Fen Huang"}),
            ({"expertise": "global_citizenship"}, {"Kuan-Yu Chen"}),
            ({"language": "ja"}, {"Ya-Ting Wang"}),
            ({"language": "en"}, {"Kuan-Yu Chen", "Shu-Fen Huang"}),
            ({"region": "new_taipei_city"}, {"Kuan-Yu Chen"}),
            ({"region": "hualien_county"}, {"Shu-Fen Huang"}),
            ({"availability": "consultant"}, {"Kuan-Yu Chen", "Shu-Fen Huang"}),
            ({"availability": "mentor"}, {"Ya-Ting Wang"}),
            ({"availability": "consultant", "language": "vi"}, {"Shu-Fen Huang"}),
            ({"availability": "consultant", "q": "姊妹"}, {"Shu-Fen Huang"}),
            ({"region": "taipei_city", "q": "姊妹"}, set()),
        ],
    )
    def test_filters(self, client, expert_index, params, expected):
        assert names(directory(client, expert_index, **params)) == expected

    def test_a_code_does_not_match_a_longer_code(self, client, expert_index):
        # "taipei_city" must not match "new_taipei_city": codes are compared whole.
        assert names(directory(client, expert_index, region="taipei_city")) == {"Kuan-Yu Chen"}
        ExpertFactory(name_en="New Taipei Only", regions=["new_taipei_city"])
        assert "New Taipei Only" not in names(directory(client, expert_index, region="taipei_city"))

    @pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", '"unterminated', "AND OR NOT", "姊妹 OR", "*"])
    def test_hostile_queries_match_nothing_and_break_nothing(self, client, expert_index, query):
        assert names(directory(client, expert_index, q=query)) == set()

    def test_an_overlong_query_is_ignored(self, client, expert_index):
        assert len(names(directory(client, expert_index, q="姊" * 500))) == 3

    def test_unknown_filter_values_show_everyone_listed(self, client, expert_index):
        response = directory(client, expert_index, expertise="<script>", region="atlantis")
        assert len(names(response)) == 3
        assert "<script>" not in response.content.decode()


def test_pagination(client, expert_index):
    for number in range(14):
        ExpertFactory(name_en=f"Expert {number:02d}")
    first = directory(client, expert_index)
    assert len(first.context["experts"]) == 12
    second = directory(client, expert_index, page=2)
    assert names(second) == {"Expert 12", "Expert 13"}
    assert directory(client, expert_index, page=99).context["page_obj"].number == 2


def test_directory_queries_do_not_grow_with_the_page(
    client, rf, expert_index, verification_pages, django_assert_max_num_queries
):
    def add_experts(count):
        for _ in range(count):
            user = TeacherProfileFactory().user
            issue(user)
            ExpertFactory(name_en=f"Expert {Expert.objects.count():02d}", photo=ImageFactory(), user=user)

    params = {"expertise": "concepts", "q": "Expert"}
    add_experts(2)
    client.get(expert_index.url, params)
    directory_changed()  # the result list is rendered afresh (the site's own caches are kept)
    with CaptureQueriesContext(connection) as two_experts:
        client.get(expert_index.url, params)
    add_experts(10)
    client.get(expert_index.url, params)  # creates the new photos' renditions
    directory_changed()
    with CaptureQueriesContext(connection) as twelve_experts:
        response = client.get(expert_index.url, params)
    assert len(response.context["experts"]) == 12
    assert response.content.decode().count('class="badge badge-ok"') == 12
    assert len(twelve_experts) == len(two_experts), "photos, renditions and badges are fetched for the whole page"
    assert len(twelve_experts) <= 10, "a request that renders the result list stays within the budget too"
    with CaptureQueriesContext(connection) as cached:
        again = client.get(expert_index.url, params)
    assert again.content == response.content
    tables = ('FROM "community_expert"', 'FROM "certification_certificate"', 'FROM "wagtailimages_')
    assert not any(table in query["sql"] for table in tables for query in cached), (
        "the result list came from the cache"
    )
    assert len(cached) < len(twelve_experts) and len(cached) <= 10, "the whole request within the budget"

    request = rf.get(expert_index.url, params)
    request.user = AnonymousUser()
    with django_assert_max_num_queries(10):
        context = directory_context(expert_index, request)
        for expert in context["experts"]:
            expert.photo.get_rendition(PHOTO_FILTER)


def test_detail_page_and_unlisted_entries(client, expert_index):
    listed = ExpertFactory(name_zh="李建宏", photo=ImageFactory())
    unlisted = ExpertFactory(is_listed=False)
    response = client.get(expert_index.url + f"{listed.pk}/")
    assert response.status_code == 200
    assert "李建宏" in response.content.decode()
    assert client.get(expert_index.url + f"{unlisted.pk}/").status_code == 404
    assert client.get(expert_index.url + "999999/").status_code == 404


class TestContactDetailsPrivacy:
    @pytest.fixture
    def expert(self, expert_index):
        return ExpertFactory(email="secret.expert@university.example.tw", phone="02-8765-4321")

    def test_anonymous_visitors_never_receive_contact_details(self, client, expert_index, expert):
        for url in [expert_index.url, expert_index.url + f"{expert.pk}/"]:
            html = client.get(url).content.decode()
            assert "secret.expert" not in html
            assert "8765" not in html

    def test_signed_in_users_see_them(self, client, expert_index, expert):
        client.force_login(UserFactory())
        html = client.get(expert_index.url + f"{expert.pk}/").content.decode()
        assert "secret.expert@university.example.tw" in html
        assert "02-8765-4321" in html


class TestCertificateBadge:
    def test_revoking_removes_the_badge_at_once(self, client, expert_index, verification_pages):
        teacher = TeacherProfileFactory().user
        certificate = issue(teacher)
        expert = ExpertFactory(user=teacher)
        detail = expert_index.url + f"{expert.pk}/"
        assert certificate.verify_path in client.get(detail).content.decode()
        assert certificate.verify_path in client.get(expert_index.url).content.decode()

        revoke_certificate(certificate, reason="資料不實", by=UserFactory(is_staff=True))
        assert certificate.verify_path not in client.get(detail).content.decode()
        assert certificate.verify_path not in client.get(expert_index.url).content.decode()

    def test_expired_and_other_peoples_certificates_are_not_shown(self, client, expert_index, verification_pages):
        teacher, someone_else = TeacherProfileFactory().user, TeacherProfileFactory().user
        expired = issue(teacher)
        Certificate.objects.filter(pk=expired.pk).update(valid_until=timezone.localdate().replace(year=2020))
        others = issue(someone_else)
        expert = ExpertFactory(user=teacher)
        html = client.get(expert_index.url + f"{expert.pk}/").content.decode()
        assert expired.verify_path not in html and others.verify_path not in html


class TestOptIn:
    def test_a_teacher_without_an_advanced_certificate_cannot_opt_in(self, client, expert_index):
        teacher = TeacherProfileFactory().user
        issue(teacher, slug="beginner")
        client.force_login(teacher)
        assert client.get(reverse("community:expert_opt_in")).status_code == 403
        response = client.post(reverse("community:expert_opt_in"), {"name_zh": "假專家", "name_en": "Fake"})
        assert response.status_code == 403
        assert not Expert.objects.exists()

    def test_a_certified_teacher_opts_in_and_shows_the_badge(self, client, expert_index, verification_pages):
        teacher = TeacherProfileFactory(name_zh="吳佩珊", name_en="Pei-Shan Wu").user
        certificate = issue(teacher)
        client.force_login(teacher)
        form = client.get(reverse("community:expert_opt_in"))
        assert form.status_code == 200
        assert form.context["form"].initial["name_zh"] == "吳佩珊"
        response = client.post(
            reverse("community:expert_opt_in"),
            {
                "name_zh": "吳佩珊",
                "name_en": "Pei-Shan Wu",
                "expertise": ["curriculum", "intercultural"],
                "languages": ["zh", "en"],
                "regions": ["taichung_city"],
                "availability": ["mentor"],
                "bio_zh": "國中英語教師，專長跨文化溝通。",
                "email": teacher.email,
                "is_listed": "on",
            },
        )
        assert response.status_code == 302
        expert = Expert.objects.get(user=teacher)
        assert expert.expertise == ["curriculum", "intercultural"]
        html = client.get(expert_index.url + f"{expert.pk}/").content.decode()
        assert certificate.verify_path in html
        assert names(directory(client, expert_index, q="跨文化")) == {"Pei-Shan Wu"}

    def test_the_profile_invites_only_advanced_certificate_holders(self, client, expert_index):
        opt_in = reverse("community:expert_opt_in")
        beginner = TeacherProfileFactory().user
        issue(beginner, slug="beginner")
        client.force_login(beginner)
        assert opt_in not in client.get(reverse("accounts:profile")).content.decode()

        advanced = TeacherProfileFactory().user
        issue(advanced)
        client.force_login(advanced)
        assert f'href="{opt_in}"' in client.get(reverse("accounts:profile")).content.decode()

    def test_a_forged_vocabulary_code_is_refused(self, client, expert_index):
        teacher = TeacherProfileFactory().user
        issue(teacher)
        client.force_login(teacher)
        response = client.post(
            reverse("community:expert_opt_in"),
            {"name_zh": "甲", "name_en": "A", "expertise": ["astrology"], "languages": ["zh"]},
        )
        assert response.status_code == 200
        assert "expertise" in response.context["form"].errors
        assert not Expert.objects.exists()


class TestContactRequests:
    @pytest.fixture
    def expert(self, expert_index):
        return ExpertFactory(name_en="Mentor Lee", email="mentor.lee@university.example.tw")

    def contact(self, client, expert, message="您好，我是臺中市的英語老師，想請教姊妹校交流的規劃方式。"):
        return client.post(reverse("community:contact_expert", args=[expert.pk]), {"message": message})

    def test_a_signed_in_teacher_sends_a_request_by_e_mail(self, client, expert):
        sender = TeacherProfileFactory(name_zh="周老師").user
        client.force_login(sender)
        assert self.contact(client, expert).status_code == 302
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["mentor.lee@university.example.tw"]
        assert message.reply_to == [sender.email]
        assert "姊妹校交流的規劃方式" in message.body
        assert "周老師" in message.subject

    def test_anonymous_visitors_cannot_send(self, client, expert):
        response = self.contact(client, expert)
        assert response.status_code == 302 and "login" in response.url
        assert not mail.outbox and not ContactRequest.objects.exists()

    def test_too_short_messages_are_refused(self, client, expert):
        client.force_login(UserFactory())
        self.contact(client, expert, message="hi")
        assert not mail.outbox and not ContactRequest.objects.exists()

    def test_requests_are_rate_limited_per_user(self, client, expert):
        sender = UserFactory()
        client.force_login(sender)
        for _ in range(REQUESTS_PER_DAY + 2):
            self.contact(client, expert)
        assert ContactRequest.objects.filter(sender=sender).count() == REQUESTS_PER_DAY
        assert len(mail.outbox) == REQUESTS_PER_DAY

        client.force_login(UserFactory())
        self.contact(client, expert)
        assert len(mail.outbox) == REQUESTS_PER_DAY + 1, "another teacher has their own allowance"

    def test_the_limit_is_a_rolling_day(self, client, expert):
        sender = UserFactory()
        client.force_login(sender)
        for _ in range(REQUESTS_PER_DAY):
            self.contact(client, expert)
        ContactRequest.objects.update(created_at=timezone.now() - timezone.timedelta(hours=25))
        self.contact(client, expert)
        assert len(mail.outbox) == REQUESTS_PER_DAY + 1


class TestCachedSearch:
    """A search's matches are cached until an expert changes; what each card shows is read live."""

    def test_an_expert_edited_after_a_search_is_found_or_dropped_at_once(self, client, expert_index):
        ExpertFactory(name_en="Amy Chen", bio_en="Sister-school exchange with Japan")
        later = ExpertFactory(name_en="Ben Wu", bio_en="Curriculum design")
        assert names(directory(client, expert_index, q="Japan")) == {"Amy Chen"}
        later.bio_en = "Study tours to Japan"
        later.save()
        assert names(directory(client, expert_index, q="Japan")) == {"Amy Chen", "Ben Wu"}
        later.is_listed = False
        later.save()
        response = directory(client, expert_index, q="Japan")
        assert names(response) == {"Amy Chen"} and response.context["page_obj"].paginator.count == 1
        Expert.objects.filter(name_en="Amy Chen").delete()
        assert names(directory(client, expert_index, q="Japan")) == set()

    def test_searches_and_filters_are_cached_apart(self, client, expert_index):
        ExpertFactory(name_en="Amy Chen", bio_en="Japan", languages=["en"])
        ExpertFactory(name_en="Ben Wu", bio_en="Japan", languages=["ja"])
        assert names(directory(client, expert_index, q="Japan")) == {"Amy Chen", "Ben Wu"}
        assert names(directory(client, expert_index, q="Japan", language="en")) == {"Amy Chen"}
        assert names(directory(client, expert_index, q="Japan", language="ja")) == {"Ben Wu"}
        assert names(directory(client, expert_index, q="Japan", language="en")) == {"Amy Chen"}

    def test_a_revoked_badge_disappears_although_the_search_is_cached(self, client, expert_index, verification_pages):
        user = TeacherProfileFactory().user
        certificate = issue(user)
        ExpertFactory(name_en="Amy Chen", user=user)
        assert certificate.verify_path in directory(client, expert_index, q="Amy").content.decode()
        assert certificate.verify_path in directory(client, expert_index, q="Amy").content.decode()  # cached
        revoke_certificate(certificate, reason="資料不實", by=UserFactory(is_staff=True))
        assert certificate.verify_path not in directory(client, expert_index, q="Amy").content.decode()

    def test_a_certificate_issued_or_reissued_after_a_search_shows_at_once(
        self, client, expert_index, verification_pages
    ):
        user = TeacherProfileFactory().user
        ExpertFactory(name_en="Amy Chen", user=user)
        assert 'class="badge' not in directory(client, expert_index, q="Amy").content.decode()
        first = issue(user)
        assert first.verify_path in directory(client, expert_index, q="Amy").content.decode()
        first.is_current = False
        first.save(update_fields=["is_current"])
        html = directory(client, expert_index, q="Amy").content.decode()
        assert first.verify_path not in html and 'class="badge' not in html
        first.delete()
        assert names(directory(client, expert_index, q="Amy")) == {"Amy Chen"}

    def test_a_deleted_photo_disappears_at_once(self, client, expert_index):
        photo = ImageFactory()
        ExpertFactory(name_en="Amy Chen", photo=photo)
        assert "<img" in directory(client, expert_index, q="Amy").content.decode()
        assert "<img" in directory(client, expert_index, q="Amy").content.decode()  # cached
        photo.delete()
        html = directory(client, expert_index, q="Amy").content.decode()
        assert names(directory(client, expert_index, q="Amy")) == {"Amy Chen"} and "<img" not in html

    def test_languages_pages_and_hostile_parameters_are_cached_apart(self, client, expert_index):
        ExpertFactory(name_zh="陳美玲", name_en="Amy Chen", bio_en="Japan")
        for number in range(12):
            ExpertFactory(name_en=f"Expert {number:02d}", bio_en="Japan")
        first = directory(client, expert_index, q="Japan")
        assert "Page 1 of 2" in first.content.decode() or "第 1 頁" in first.content.decode()
        second = directory(client, expert_index, q="Japan", page=2)
        assert names(first).isdisjoint(names(second)) and len(names(first) | names(second)) == 13
        assert names(directory(client, expert_index, q="Japan", page="<script>")) == names(first)
        hostile = directory(client, expert_index, q='"><script>alert(1)</script>')
        assert "<script>alert(1)" not in hostile.content.decode()
        assert (
            "<script>alert(1)" not in directory(client, expert_index, q='"><script>alert(1)</script>').content.decode()
        )
        chinese = directory(client, expert_index, q="Amy")
        english = client.get(expert_index.url.replace("/zh-hant/", "/en/", 1), {"q": "Amy"})
        assert ">陳美玲</a>" in chinese.content.decode() and ">Amy Chen</a>" in english.content.decode()

    def test_a_warm_search_costs_fewer_queries(self, client, expert_index):
        for number in range(14):
            ExpertFactory(name_en=f"Expert {number:02d}", bio_en="Sister-school exchange")
        directory(client, expert_index)  # the site and its settings are cached
        with CaptureQueriesContext(connection) as cold:
            first = client.get(expert_index.url, {"q": "Sister", "page": 1})
        with CaptureQueriesContext(connection) as warm:
            response = client.get(expert_index.url, {"q": "Sister", "page": 2})
        assert len(names(response)) == 2 and not names(response) & names(first)
        assert response.context["page_obj"].paginator.count == 14
        assert not any("COUNT(" in query["sql"] for query in warm.captured_queries)
        assert len(warm) < len(cold)

    def test_searches_without_full_text_hits(self, client, expert_index):
        # Chinese is one token to the full-text index: 「姊妹」 is found by substring only, 「無此人」 not at all.
        ExpertFactory(name_en="Amy Chen", bio_zh="推動姊妹校交流十年")
        assert names(directory(client, expert_index, q="姊妹")) == {"Amy Chen"}
        assert names(directory(client, expert_index, q="無此人")) == set()
