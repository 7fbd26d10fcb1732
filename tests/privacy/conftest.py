"""A person with data in every area of the platform, and a second person with data in the same areas.

Every piece of text a person writes carries their mark (``Alicemark``/``Bobmark``), so a test can look for one
person's data anywhere in the other's export, and for any of a deleted person's words left in the database.
"""

import datetime
import uuid
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.users.models import UserProfile

from accounts.models import PolicyConsent, PolicyVersion, TeacherProfile
from assessments.models import Attempt, AttemptSlot
from certification.models import Certificate, NameCorrectionRequest
from certification.registry.issuing import issue_and_complete
from community.models import ContactRequest, Membership
from courses.models import (
    Attendance,
    ContentUserData,
    Enrolment,
    H5PAttempt,
    H5PPackage,
    ModuleProgress,
    Registration,
    ScormPackage,
    ScormTrack,
    TrainingSession,
    XAPIStatement,
)
from discussions.models import Board, Post, Report, Subscription, Thread
from feedback.models import Questionnaire, Submission, Survey
from privacy.models import SignIn
from resources.choices import Status
from resources.models import Favourite
from tests.accounts.factories import UserFactory
from tests.assessments.factories import CategoryFactory, essay, make_quiz
from tests.certification.conftest import platform_pki  # noqa: F401 (fixtures)
from tests.certification.factories import ProgrammeFactory
from tests.community.factories import CommunityIndexPageFactory, CommunityPageFactory, ExpertFactory
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory
from tests.resources.factories import ResourceFactory


@dataclass
class Person:
    user: object
    mark: str
    certificate: Certificate
    statement_id: str
    words: list[str] = field(default_factory=list)


@pytest.fixture
def places(home_page, django_capture_on_commit_callbacks):
    """What both people use: a course with a module, a workshop, a quiz, a board, a community, an expert, a
    programme, a policy in force, and a resource by a third teacher."""
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), title="國際教育概論")
    module = ModulePageFactory(parent=course)
    now = timezone.now()
    session = TrainingSession.objects.create(
        kind="workshop", title="工作坊", starts_at=now - datetime.timedelta(days=2), ends_at=now, hours=3
    )
    category = CategoryFactory()
    question = essay(category)
    quiz = make_quiz(category, 1)
    package = H5PPackage.objects.create(
        title="Quiz",
        main_library="H5P.MultiChoice",
        main_library_version="1.16",
        content_hash="a" * 64,
        storage_prefix="h5p/a",
        size_bytes=10,
        file_count=1,
        original_filename="quiz.h5p",
    )
    scorm = ScormPackage.objects.create(
        title="SCORM",
        version="1.2",
        content_hash="b" * 64,
        storage_prefix="scorm/b",
        size_bytes=10,
        file_count=1,
        original_filename="course.zip",
    )
    board = Board.objects.create(page=course)
    thread = Thread.objects.create(board=board, title="歡迎討論")
    community = CommunityPageFactory(parent=CommunityIndexPageFactory(parent=home_page), title="國際課程社群")
    expert = ExpertFactory(name_zh="林專家", name_en="Expert Lin")
    survey = Survey.objects.create(questionnaire=Questionnaire.objects.create(title_zh="回饋"), session=session)
    policy = PolicyVersion.objects.create(
        version=1, privacy_zh="隱私", privacy_en="Privacy", terms_zh="條款", terms_en="Terms", in_force_from=now
    )
    shared_resource = ResourceFactory(status=Status.ACCEPTED, title="公開教案")
    return {
        "course": course,
        "module": module,
        "session": session,
        "question": question,
        "quiz": quiz,
        "package": package,
        "scorm": scorm,
        "thread": thread,
        "community": community,
        "expert": expert,
        "survey": survey,
        "policy": policy,
        "shared_resource": shared_resource,
        "programme": ProgrammeFactory(validity_years=3),
        "capture": django_capture_on_commit_callbacks,
    }


def fill(places, mark: str, email: str) -> Person:
    """Give a new person data in every area, each of their words carrying ``mark``."""
    user = UserFactory(email=email, first_name=mark, last_name=f"{mark}family")
    TeacherProfile.objects.create(
        user=user,
        name_zh=f"{mark}中文名",
        name_en=f"{mark} Chen",
        school=f"{mark} school",
        school_level="junior_high",
        county="taipei_city",
        subject_area=f"{mark} subject",
    )
    EmailAddress.objects.create(user=user, email=f"second-{email}", verified=False, primary=False)
    UserProfile.objects.create(user=user, preferred_language="en", current_time_zone="Asia/Taipei")
    PolicyConsent.objects.create(user=user, version=places["policy"])
    SignIn.objects.create(user=user, ip_address="192.0.2.7", user_agent=f"{mark}Browser/1.0")
    course, module, session = places["course"], places["module"], places["session"]
    Enrolment.objects.create(user=user, course=course, progress_percent=100, completed_at=timezone.now())
    ModuleProgress.objects.create(user=user, module=module, course=course, status="completed", best_score=90)
    attempt = H5PAttempt.objects.create(user=user, module=module, package=places["package"], number=1, raw_score=9)
    statement_id = str(uuid.uuid4())
    XAPIStatement.objects.create(
        statement_id=statement_id,
        user=user,
        module=module,
        package=places["package"],
        attempt=attempt,
        verb="http://adlnet.gov/expapi/verbs/answered",
        object_id="urn:h5p:1",
        response=f"{mark} xapi response",
        payload={"result": {"response": f"{mark} xapi response"}},
    )
    ContentUserData.objects.create(user=user, package=places["package"], data=f"{mark} saved state")
    ScormTrack.objects.create(
        user=user, module=module, package=places["scorm"], sco="sco1", suspend_data=f"{mark} suspend"
    )
    Registration.objects.create(session=session, user=user)
    Attendance.objects.create(session=session, user=user, method="list")
    quiz_attempt = Attempt.objects.create(quiz=places["quiz"], module=module, user=user, number=1)
    AttemptSlot.objects.create(
        attempt=quiz_attempt,
        position=1,
        question=places["question"],
        max_mark=1,
        response={"text": f"{mark} essay answer"},
        grader_comment=f"{mark} feedback to the learner",
    )
    Submission.objects.create(survey=places["survey"], user=user)
    post = Post.objects.create(thread=places["thread"], author=user, body=f"<p>{mark} post</p>", text=f"{mark} post")
    own_thread = Thread.objects.create(board=places["thread"].board, title=f"{mark} thread", author=user)
    Post.objects.create(thread=own_thread, author=user, body=f"<p>{mark} opening</p>", text=f"{mark} opening")
    Report.objects.create(post=post, reporter=user, reason=f"{mark} report reason")
    Subscription.objects.create(user=user, thread=places["thread"])
    public = ResourceFactory(author=user, status=Status.ACCEPTED, title=f"{mark} public plan")
    draft = ResourceFactory(author=user, status=Status.DRAFT, title=f"{mark} draft plan")
    Favourite.objects.create(user=user, resource=places["shared_resource"])
    Membership.objects.create(community=places["community"], user=user)
    ContactRequest.objects.create(sender=user, expert=places["expert"], message=f"{mark} message to an expert")
    ExpertFactory(user=user, name_zh=f"{mark}專家", name_en=f"{mark} Expert", bio_en=f"{mark} biography")
    with places["capture"](execute=True):
        certificate = issue_and_complete(user, places["programme"], origin=Certificate.Origin.MANUAL)
    NameCorrectionRequest.objects.create(
        user=user,
        printed_name_zh="王小明",
        printed_name_en="Wang Xiao-Ming",
        name_zh="王曉明",
        name_en="Wang Hsiao-Ming",
        reason=f"{mark} correction reason",
        evidence=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
    )
    person = Person(user=user, mark=mark, certificate=certificate, statement_id=statement_id)
    person.words = [mark, email, certificate.serial, certificate.public_id, certificate.verification_code]
    person.public_resource, person.draft_resource = public, draft
    return person


@pytest.fixture
def alice(places):
    return fill(places, "Alicemark", "alice@school.example.tw")


@pytest.fixture
def bob(places):
    return fill(places, "Bobmark", "bob@school.example.tw")
