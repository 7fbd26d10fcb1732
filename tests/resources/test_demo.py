"""The demo teacher's accepted lesson plan: public, found by the site search, made once."""

import io

import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from resources import demo
from resources.models import Resource
from search.query import search

pytestmark = pytest.mark.django_db


def test_the_demo_teacher_has_one_accepted_lesson_plan_made_once(locales, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        accounts_demo.load(io.StringIO())
        demo.load(io.StringIO())
        output = io.StringIO()
        demo.load(output)
    teacher = User.objects.get(email=accounts_demo.TEACHER_EMAIL)
    assert Resource.objects.by(teacher).count() == 1
    resource = Resource.objects.public().by(teacher).get()
    assert "there" in output.getvalue()
    assert [hit.document.title for hit in search("台灣 節慶", "zh-hant").hits] == [resource.title]
