"""What everyone sees of accepted resources: the list and its filters, the licence and citation, downloads
counted once each, favourites, and a teacher's own page."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from resources.choices import Status
from resources.licences import Licence, terms
from resources.models import Resource

from .documents import pdf_bytes
from .factories import ResourceFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def accepted(**fields):
    return ResourceFactory(status=Status.ACCEPTED, **fields)


def test_the_list_shows_accepted_resources_only_and_filters_them(client):
    elementary = accepted(title="國小世界地圖學習單", school_level="elementary", kind="worksheet")
    senior = accepted(title="高中永續發展簡報", school_level="senior_high", kind="slides", theme="sustainability")
    draft = ResourceFactory(title="草稿教案")
    submitted = ResourceFactory(title="審查中的教案", status=Status.SUBMITTED)
    page = client.get(reverse("resources:list")).content.decode()
    assert elementary.title in page and senior.title in page
    assert draft.title not in page and submitted.title not in page
    filtered = client.get(reverse("resources:list"), {"school_level": "senior_high", "theme": "sustainability"})
    assert list(filtered.context["resources"]) == [senior]
    assert list(client.get(reverse("resources:list"), {"kind": "worksheet"}).context["resources"]) == [elementary]
    # An unknown value matches nothing rather than everything.
    assert list(client.get(reverse("resources:list"), {"kind": "<script>"}).context["resources"]) == []


def test_the_list_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        accepted()
    # The page's chrome, the count, one page of rows with their authors, and the indicators of the filter.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("resources:list"))
    assert len(response.context["resources"]) == 24


@pytest.mark.parametrize("licence", Licence.values)
def test_every_licence_is_shown_with_its_deed_and_in_the_citation(client, licence):
    author = TeacherFactory()
    co_author = TeacherFactory()
    co_author.teacher_profile.name_zh = "林雅婷"
    co_author.teacher_profile.save()
    resource = accepted(title="跨文化溝通教案", licence=licence, author=author)
    resource.co_authors.add(co_author)
    page = client.get(resource.get_absolute_url()).content.decode()
    deed = terms(licence)
    assert f'href="{deed.url}" rel="license"' in page
    citation = client.get(f"/en/resources/{resource.pk}/").context["citation"]
    address = f"http://testserver/en/resources/{resource.pk}/"
    year = resource.accepted_at.year
    assert citation == (
        f"陳美玲, 林雅婷 ({year}). 跨文化溝通教案. IE Academy. {address}. Licensed under {deed.short_name}: {deed.url}"
    )
    # In Chinese the citation reads as Chinese, with the same authors, licence and deed.
    chinese = client.get(f"/zh-hant/resources/{resource.pk}/").context["citation"]
    assert chinese.startswith("陳美玲, 林雅婷（") and f"採用 {deed.short_name} 授權：{deed.url}" in chinese


def test_licence_deeds():
    deed = terms(Licence.CC_BY_NC_SA)
    assert (deed.short_name, deed.url) == ("CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/")
    assert terms(Licence.CC0).url == "https://creativecommons.org/publicdomain/zero/1.0/"


def test_the_citation_is_in_english_on_the_english_site(client):
    resource = accepted(licence=Licence.CC_BY)
    page = client.get(f"/en/resources/{resource.pk}/").content.decode()
    assert "Licensed under CC BY 4.0" in page and "How to cite and reuse" in page


def test_each_download_counts_once(client):
    resource = accepted(file=ContentFile(pdf_bytes(), name="plan.pdf"), url="")
    for expected in (1, 2):
        response = client.get(reverse("resources:download", args=[resource.pk]))
        assert response["Content-Disposition"].startswith('attachment; filename="plan.pdf"')
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        resource.refresh_from_db()
        assert resource.download_count == expected
    # Opening the detail page or the preview is not a download.
    client.get(resource.get_absolute_url())
    resource.refresh_from_db()
    assert resource.download_count == 2


def test_a_link_is_counted_and_followed(client):
    resource = accepted(kind="video", url="https://video.example.org/watch/1")
    response = client.get(reverse("resources:download", args=[resource.pk]))
    assert response.status_code == 302 and response["Location"] == "https://video.example.org/watch/1"
    assert Resource.objects.get(pk=resource.pk).download_count == 1


def test_an_authors_download_of_an_unpublished_file_is_not_counted(client, teacher):
    resource = ResourceFactory(author=teacher, file=ContentFile(pdf_bytes(), name="p.pdf"), status=Status.SUBMITTED)
    client.force_login(teacher)
    assert client.get(reverse("resources:download", args=[resource.pk])).status_code == 200
    assert Resource.objects.get(pk=resource.pk).download_count == 0
    client.logout()
    assert client.get(reverse("resources:download", args=[resource.pk])).status_code == 404


def test_favourites(client, teacher):
    resource = accepted()
    url = reverse("resources:favourite", args=[resource.pk])
    assert "/accounts/login/" in client.post(url)["Location"]
    client.force_login(teacher)
    client.post(url)
    assert resource.favourites.filter(user=teacher).exists()
    assert resource.title in client.get(reverse("resources:mine")).content.decode()
    assert 'aria-pressed="true"' in client.get(resource.get_absolute_url()).content.decode()
    client.post(url)
    assert not resource.favourites.exists()
    # Only public resources can be favourites.
    draft = ResourceFactory()
    assert client.post(reverse("resources:favourite", args=[draft.pk])).status_code == 404


def test_a_teachers_page_lists_what_they_wrote_or_co_wrote_and_was_accepted(client, teacher):
    own = accepted(author=teacher, title="自己的教案")
    shared = accepted(title="合寫的教案")
    shared.co_authors.add(teacher)
    ResourceFactory(author=teacher, title="還在草稿", status=Status.DRAFT)
    page = client.get(reverse("resources:author", args=[teacher.pk]))
    assert {resource.title for resource in page.context["resources"]} == {own.title, shared.title}


def test_the_profile_invites_teachers_to_share(client, teacher):
    accepted(author=teacher)
    client.force_login(teacher)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "My teaching resources" in page or "我的教學資源" in page
    assert reverse("resources:mine") in page


def test_an_experts_entry_lists_their_accepted_resources(client, home_page):
    from tests.community.factories import ExpertFactory, ExpertIndexPageFactory

    directory = ExpertIndexPageFactory(parent=home_page)
    teacher = TeacherFactory()
    expert = ExpertFactory(user=teacher)
    public = accepted(author=teacher, title="全球公民教育教案")
    ResourceFactory(author=teacher, title="未公開的教案", status=Status.SUBMITTED)
    page = client.get(directory.expert_url(expert)).content.decode()
    assert public.title in page and "未公開的教案" not in page
    assert reverse("resources:author", args=[teacher.pk]) in page
