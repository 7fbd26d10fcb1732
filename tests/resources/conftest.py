import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from lms.roles import RESOURCE_REVIEWERS

from .factories import TeacherFactory


@pytest.fixture
def teacher(db):
    return TeacherFactory(email="author@school.example.tw")


@pytest.fixture
def reviewer(db):
    """A member of the reviewers' group, with the authenticator app every privileged role must have."""
    reviewer = TeacherFactory(email="reviewer@moe.example.tw")
    reviewer.groups.add(Group.objects.get(name=RESOURCE_REVIEWERS))
    TOTP.activate(reviewer, generate_totp_secret())
    return reviewer
