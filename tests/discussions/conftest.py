import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from community.models import CommunityPage
from courses.models import CoursePage
from tests.community.factories import CommunityIndexPageFactory, CommunityPageFactory, UserFactory
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, EnrolmentFactory


@pytest.fixture
def facilitator(db):
    """A facilitator, with the authenticator app every privileged role must have."""
    user = UserFactory(email="facilitator@school.example.tw")
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def community(home_page, facilitator):
    page = CommunityPageFactory(parent=CommunityIndexPageFactory(parent=home_page), title="國際課程社群")
    page.facilitators.add(facilitator)
    page.save_revision().publish()
    # Fresh from the database, as a request sees it (the factory's copy holds its facilitators in memory).
    return CommunityPage.objects.get(pk=page.pk)


@pytest.fixture
def member(community):
    user = UserFactory(email="member@school.example.tw")
    community.join(user)
    return user


@pytest.fixture
def second_member(community):
    user = UserFactory(email="second@school.example.tw")
    community.join(user)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@school.example.tw")


@pytest.fixture
def course(home_page):
    return CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), title="國際教育概論")


@pytest.fixture
def trainer(course):
    user = UserFactory(email="trainer@school.example.tw")
    TOTP.activate(user, generate_totp_secret())
    course.trainers.add(user)
    course.save()
    return user


@pytest.fixture
def course_page(course, trainer):
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def learner(course):
    return EnrolmentFactory(course=course).user
