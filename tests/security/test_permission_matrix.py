"""Who may open what: every URL of our apps, every page type and our admin entry points, for seven roles.

The matrix is the specification. A URL that appears in the resolver without a row fails
``test_every_url_of_our_apps_has_a_row``, so a new view cannot ship without someone deciding who may open it.
Requests are GETs: for a view that changes something only on POST, the row records what a GET gets (405, or
the sign-in redirect that a login requirement gives before the method is looked at).

Cell codes: a status (200, 403, 404, 405); ``login`` a redirect to a sign-in page; ``mfa`` a redirect to the
two-factor set-up page that staff without an authenticator are held at; ``→x`` a redirect to a URL containing x.
"""

import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Case, When
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page, get_page_models

from accounts.models import PolicyConsent, PolicyVersion, User
from assessments.attempts import finish_attempt, start_attempt
from assessments.grading import essays_to_grade
from assessments.models import Attempt, QuestionCategory, Quiz, QuizDraw
from certification.models import (
    ApprovalRequest,
    BulkIssue,
    Certificate,
    CertificationProgramme,
    NameCorrectionRequest,
)
from community.models import CommunityPage, Expert
from competencies.demo import SLUG as DEMO_FRAMEWORK
from competencies.models import Framework, Indicator
from courses.h5p.access import content_token
from courses.models import Attendance, CoursePage, H5PPackage, ModulePage, ScormPackage, TrainingSession
from discussions import posting
from discussions.models import Attachment
from discussions.views import board_for
from feedback.answering import submit
from feedback.models import Survey
from feedback.results import min_respondents
from lms.roles import CERTIFICATION_ADMINISTRATORS, TRAINERS
from notifications.delivery import notify
from notifications.unsubscribe import unsubscribe_token
from reports.models import ReportExport
from resources.choices import Status as ResourceStatus
from resources.models import Resource
from tests.certification.conftest import platform_pki  # noqa: F401
from tests.courses.factories import CoursePageFactory

OUR_APPS = (
    "accounts",
    "audit",
    "assessments",
    "certification",
    "community",
    "competencies",
    "courses",
    "discussions",
    "feedback",
    "home",
    "lms",
    "notifications",
    "privacy",
    "reports",
    "resources",
    "search",
)

ROLES = ("anonymous", "teacher", "other_teacher", "trainer", "other_trainer", "cert_admin", "staff_no_mfa")


# Cells.
LOGIN = "login"  # redirected to a sign-in page
MFA = "mfa"  # staff without an authenticator, held at the two-factor set-up page
ADMIN = "→/admin/"  # Wagtail's "no permission": back to the admin home with a message


class RedirectUnder(str):
    """A redirect to a URL under this path (the rest names an object whose id differs between databases)."""

    def __eq__(self, other):
        return isinstance(other, str) and other.startswith(self)

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__


# Someone who has agreed to the terms in force is sent on from the consent page to their learning dashboard.
DASH = "→/zh-hant/learning/"

# Another course's essay is not found; Django's locale middleware answers a 404 on an unprefixed path by redirecting
# to the prefixed one, which is then not found (tests/assessments/test_trainers.py follows it).
ESSAY_404 = RedirectUnder("→/zh-hant/admin/question-bank/grading/")


# Columns: anonymous, teacher, other teacher, trainer of the course, trainer of another course,
# certification administrator, staff without MFA.
# fmt: off
URLS = {
    'healthz':                                                    (200,    200,  200,  200,   200,   200,   200),
    'certification_admin:issue':                                  (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_admin:bulk_issue':                             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_admin:bulk_progress':                          (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_admin:revoke':                                 (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_admin:reissue':                                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_admin:review_request':                         (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_admin:review_name_correction':                 (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_admin:name_correction_evidence':               (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_admin:export_csv':                             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_admin:export_zip':                             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'audit:index':                                                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'audit:index_results':                                        (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'reports:dashboard':                                          (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'reports:exports':                                            (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'reports:export':                                             (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'reports:download_export':                                    (LOGIN,  LOGIN, LOGIN, 200,   404,   404,   MFA),
    'wagtailsnippets_courses_h5ppackage:list':                    (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_h5ppackage:list_results':            (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_h5ppackage:add':                     (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_h5ppackage:edit':                    (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_h5ppackage:delete':                  (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_h5ppackage:usage':                   (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_h5ppackage:history':                 (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_h5ppackage:history_results':         (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_h5ppackage:copy':                    (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippetchoosers_courses_h5ppackage:choose':           (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_courses_h5ppackage:choose_results':   (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_courses_h5ppackage:chosen':           (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_courses_h5ppackage:chosen_multiple':  (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_courses_h5ppackage:create':           (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_scormpackage:list':                    (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_scormpackage:list_results':            (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_scormpackage:add':                     (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_scormpackage:edit':                    (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_scormpackage:delete':                  (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_scormpackage:usage':                   (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_scormpackage:history':                 (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_scormpackage:history_results':         (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_courses_scormpackage:copy':                    (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippetchoosers_courses_scormpackage:choose':           (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_courses_scormpackage:choose_results':   (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_courses_scormpackage:chosen':           (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_courses_scormpackage:chosen_multiple':  (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_courses_scormpackage:create':           (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_community_expert:list':                      (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_community_expert:list_results':              (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_community_expert:add':                       (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_community_expert:edit':                      (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_community_expert:delete':                    (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_community_expert:usage':                     (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_community_expert:history':                   (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_community_expert:history_results':           (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_community_expert:copy':                      (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippetchoosers_community_expert:choose':             (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_community_expert:choose_results':     (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_community_expert:chosen':             (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_community_expert:chosen_multiple':    (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_community_expert:create':             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_certificate:index':                            (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_certificate:index_results':                    (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_certificate:add':                              (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_certificate:edit':                             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_certificate:delete':                           (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_certificate:history':                          (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_certificate:history_results':                  (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_certificate:usage':                            (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_certificate:inspect':                          (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_certificate:copy':                             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_approvalrequest:index':                        (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_approvalrequest:index_results':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_approvalrequest:add':                          (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_approvalrequest:edit':                         (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_approvalrequest:delete':                       (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_approvalrequest:history':                      (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_approvalrequest:history_results':              (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_approvalrequest:usage':                        (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_approvalrequest:inspect':                      (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_approvalrequest:copy':                         (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_namecorrectionrequest:index':                  (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_namecorrectionrequest:index_results':          (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_namecorrectionrequest:add':                    (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_namecorrectionrequest:edit':                   (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_namecorrectionrequest:delete':                 (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_namecorrectionrequest:history':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_namecorrectionrequest:history_results':        (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_namecorrectionrequest:usage':                  (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_namecorrectionrequest:copy':                   (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'certification_programme:index':                              (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_programme:index_results':                      (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_programme:add':                                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_programme:edit':                               (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_programme:delete':                             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_programme:history':                            (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_programme:history_results':                    (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_programme:usage':                              (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'certification_programme:copy':                               (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailusers_users:index':                                   (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailusers_users:index_results':                           (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailusers_users:add':                                     (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailusers_users:edit':                                    (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailusers_users:delete':                                  (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailusers_users:history':                                 (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailusers_users:history_results':                         (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailusers_users:usage':                                   (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailusers_users:copy':                                    (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'credentials:ca_certificate':                                 (200,    200,  200,  200,   200,   200,   MFA),
    'credentials:issuer':                                         (200,    200,  200,  200,   200,   200,   MFA),
    'credentials:jwks':                                           (200,    200,  200,  200,   200,   200,   MFA),
    'credentials:status':                                         (200,    200,  200,  200,   200,   200,   MFA),
    'credentials:status_list':                                    (200,    200,  200,  200,   200,   200,   MFA),
    'transparency:sth':                                           (200,    200,  200,  200,   200,   200,   MFA),
    'transparency:entries':                                       (200,    200,  200,  200,   200,   200,   MFA),
    'transparency:inclusion':                                     (200,    200,  200,  200,   200,   200,   MFA),
    'transparency:consistency':                                   (400,    400,  400,  400,   400,   400,   MFA),
    'accounts:profile':                                           (LOGIN,  200,  200,  200,   200,   200,   200),
    'accounts:mfa_required':                                      (LOGIN,  403,  403,  403,   403,   403,   403),
    'accounts:confirm_authenticator':                             (200,    200,  200,  200,   200,   200,   200),
    'wagtailsnippets_accounts_policyversion:list':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_accounts_policyversion:list_results':        (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_accounts_policyversion:add':                 (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_accounts_policyversion:edit':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_accounts_policyversion:delete':              (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_accounts_policyversion:usage':               (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_accounts_policyversion:history':             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_accounts_policyversion:history_results':     (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_accounts_policyversion:copy':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippetchoosers_accounts_policyversion:choose':       (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_accounts_policyversion:choose_results':(LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_accounts_policyversion:chosen':       (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_accounts_policyversion:chosen_multiple':(LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_accounts_policyversion:create':       (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'accounts:privacy':                                           (200,    200,  200,  200,   200,   200,   200),
    'accounts:consent':                                           (LOGIN,  DASH, DASH, DASH,  DASH,  DASH,  DASH),
    # Under /accounts/: open to privileged accounts without two factors, who may not delete themselves.
    'privacy:personal_data':                                      (LOGIN,  200,  200,  200,   200,   200,   200),
    'privacy:ask_for_export':                                     (LOGIN,  405,  405,  405,   405,   405,   405),
    'privacy:download_export':                                    (LOGIN,  404,  404,  404,   404,   404,   404),
    'privacy:delete_account':                                     (LOGIN,  200,  200,  200,   200,   200,   200),
    'privacy:confirm_deletion':                                   (LOGIN,  404,  404,  404,   404,   404,   404),
    'privacy:account_deleted':                                    (200,    200,  200,  200,   200,   200,   200),
    'courses:dashboard':                                          (LOGIN,  200,  200,  200,   200,   200,   MFA),
    'courses:enrol':                                              (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'courses:unenrol':                                            (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'courses:xapi':                                               (405,    405,  405,  405,   405,   405,   MFA),
    # The player frame and its files answer to the signed token in their URL, minted for the learner (the teacher)
    # by the module page, whoever's cookies come along: the sandboxed frame sends none (courses/h5p/access.py).
    'h5p_content:frame':                                          (200,    200,  200,  200,   200,   200,   MFA),
    'h5p_content:file':                                           (200,    200,  200,  200,   200,   200,   MFA),
    'courses:h5p_user_data':                                      (403,    200,  403,  200,   403,   403,   MFA),
    # SCORM's run-time frame and files answer to their signed token like H5P's; the commit endpoint takes POSTs.
    'scorm_content:frame':                                        (200,    200,  200,  200,   200,   200,   MFA),
    'scorm_content:file':                                         (200,    200,  200,  200,   200,   200,   MFA),
    'courses:scorm_commit':                                       (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'courses:trainer_scorm':                                      (LOGIN,  404,  404,  200,   404,   404,   MFA),
    'courses:trainer_scorm_csv':                                  (LOGIN,  404,  404,  200,   404,   404,   MFA),
    'courses:trainer_courses':                                    (LOGIN,  403,  403,  200,   403,   403,   MFA),
    'courses:trainer_learners':                                   (LOGIN,  404,  404,  200,   404,   404,   MFA),
    'courses:trainer_learners_csv':                               (LOGIN,  404,  404,  200,   404,   404,   MFA),
    'courses:register':                                           (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'courses:cancel_registration':                                (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'courses:session_attendance':                                 (LOGIN,  404,  404,  200,   404,   404,   MFA),
    'courses:check_in':                                           (LOGIN,  200,  200,  200,   200,   200,   MFA),
    'community:join':                                             (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'community:leave':                                            (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'community:manage':                                           (LOGIN,  403,  403,  200,   403,   403,   MFA),
    'community:edit_session':                                     (LOGIN,  403,  403,  200,   403,   403,   MFA),
    'community:session_attendance':                               (LOGIN,  403,  403,  200,   403,   403,   MFA),
    'community:expert_opt_in':                                    (LOGIN,  403,  403,  403,   403,   403,   MFA),
    'community:contact_expert':                                   (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'certification:verify':                                       (200,    200,  200,  200,   200,   200,   MFA),
    'certification:verify_pdf':                                   (200,    200,  200,  200,   200,   200,   MFA),
    'certification:verify_certificate':                           (200,    200,  200,  200,   200,   200,   MFA),
    'certification:my_certificates':                              (LOGIN,  200,  200,  200,   200,   200,   MFA),
    'certification:certificate_pdf':                              (LOGIN,  200,  404,  404,   404,   200,   MFA),
    'certification:certificate_credential':                       (LOGIN,  200,  404,  404,   404,   200,   MFA),
    'certification:renew':                                        (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'certification:name_correction':                              (LOGIN,  200,  200,  200,   200,   200,   MFA),
    'certification:programme_list':                               (200,    200,  200,  200,   200,   200,   MFA),
    'certification:programme_detail':                             (200,    200,  200,  200,   200,   200,   MFA),
    'assessments_import':                                          (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'assessments_export':                                          (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'assessments_grading':                                         (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'assessments_grade':                                          (LOGIN,  LOGIN, LOGIN, 200,   ESSAY_404, ADMIN, MFA),
    'assessments_report':                                          (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'assessments_attempts_export':                                 (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:list':                   (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:list_results':           (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:add':                    (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:edit':                   (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:delete':                 (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:usage':                  (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:history':                (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:history_results':        (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:copy':                   (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:revisions_revert':       (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_question:revisions_compare':      (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippetchoosers_assessments_question:choose':          (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_question:choose_results':  (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_question:chosen':          (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_question:chosen_multiple': (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_question:create':          (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_questioncategory:list':           (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_questioncategory:list_results':   (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_questioncategory:add':            (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_questioncategory:edit':           (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_questioncategory:delete':         (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_questioncategory:usage':          (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_questioncategory:history':        (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_questioncategory:history_results': (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_questioncategory:copy':           (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippetchoosers_assessments_questioncategory:choose':  (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_questioncategory:choose_results': (LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_assessments_questioncategory:chosen':  (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_questioncategory:chosen_multiple': (LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_assessments_questioncategory:create':  (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_quiz:list':                       (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_quiz:list_results':               (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_quiz:add':                        (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_quiz:edit':                       (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_quiz:delete':                     (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_quiz:usage':                      (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_quiz:history':                    (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_quiz:history_results':            (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippets_assessments_quiz:copy':                       (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'wagtailsnippetchoosers_assessments_quiz:choose':              (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_quiz:choose_results':      (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_quiz:chosen':              (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_quiz:chosen_multiple':     (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_assessments_quiz:create':              (LOGIN,  LOGIN, LOGIN, 200,   200,   ADMIN, MFA),
    'assessments:start':                                           (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'assessments:attempt':                                         (LOGIN,  200,  404,  404,   404,   404,   MFA),
    'assessments:save':                                            (LOGIN,  405,  405,  405,   405,   405,   MFA),
    'assessments:review':                                          (LOGIN,  200,  404,  404,   404,   404,   MFA),
    'wagtailsnippets_feedback_questionnaire:list':                (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_questionnaire:list_results':        (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_questionnaire:add':                 (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_questionnaire:edit':                (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_questionnaire:delete':              (LOGIN, LOGIN, LOGIN, ADMIN, ADMIN, ADMIN, MFA),
    'wagtailsnippets_feedback_questionnaire:usage':               (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_questionnaire:history':             (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_questionnaire:history_results':     (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_questionnaire:copy':                (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippetchoosers_feedback_questionnaire:choose':       (LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_feedback_questionnaire:choose_results':(LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_feedback_questionnaire:chosen':       (LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_feedback_questionnaire:chosen_multiple':(LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_feedback_questionnaire:create':       (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_survey:list':                       (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_survey:list_results':               (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_survey:add':                        (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_survey:edit':                       (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_survey:delete':                     (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_survey:usage':                      (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_survey:history':                    (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_survey:history_results':            (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippets_feedback_survey:copy':                       (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'wagtailsnippetchoosers_feedback_survey:choose':              (LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_feedback_survey:choose_results':      (LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_feedback_survey:chosen':              (LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_feedback_survey:chosen_multiple':     (LOGIN, LOGIN, LOGIN, 200, 200, 200, MFA),
    'wagtailsnippetchoosers_feedback_survey:create':              (LOGIN, LOGIN, LOGIN, 200, 200, ADMIN, MFA),
    'notifications_unsubscribe':                                  (200, 200, 200, 200, 200, 200, 200),
    'notifications:list':                                         (LOGIN, 200, 200, 200, 200, 200, MFA),
    'notifications:open':                                         (LOGIN, 405, 405, 405, 405, 405, MFA),
    'notifications:read_all':                                     (LOGIN, 405, 405, 405, 405, 405, MFA),
    'notifications:preferences':                                  (LOGIN, 200, 200, 200, 200, 200, MFA),
    'discussions:board':                                          (LOGIN, 200, 403, 200, 403, 403, MFA),
    'discussions:follow_board':                                   (LOGIN, 405, 405, 405, 405, 405, MFA),
    'discussions:thread':                                         (LOGIN, 200, 403, 200, 403, 403, MFA),
    'discussions:follow_thread':                                  (LOGIN, 405, 405, 405, 405, 405, MFA),
    'discussions:moderate_thread':                                (LOGIN, 405, 405, 405, 405, 405, MFA),
    'discussions:edit_post':                                      (LOGIN, 200, 404, 403, 404, 404, MFA),
    'discussions:delete_post':                                    (LOGIN, 405, 405, 405, 405, 405, MFA),
    'discussions:hide_post':                                      (LOGIN, 405, 405, 405, 405, 405, MFA),
    'discussions:report_post':                                    (LOGIN, 405, 405, 405, 405, 405, MFA),
    'discussions:mark_answer':                                    (LOGIN, 405, 405, 405, 405, 405, MFA),
    'discussions:attachment':                                     (LOGIN, 200, 404, 200, 404, 404, MFA),
    'feedback:surveys':                                           (LOGIN, 200, 200, 200, 200, 200, MFA),
    'feedback:answer':                                            (LOGIN, 403, 403, 403, 403, 403, MFA),
    'feedback:results':                                           (LOGIN, 403, 403, 200, 403, 403, MFA),
    'feedback:export_csv':                                        (LOGIN, 403, 403, 200, 403, 403, MFA),
    'feedback:export_xlsx':                                       (LOGIN, 403, 403, 200, 403, 403, MFA),
    # The teacher's resource waits for their changes: only its author sees it; only reviewers open the queue.
    'resources:list':                                             (200, 200, 200, 200, 200, 200, MFA),
    'resources:create':                                           (LOGIN, 200, 200, 200, 200, 200, MFA),
    'resources:mine':                                             (LOGIN, 200, 200, 200, 200, 200, MFA),
    'resources:review_queue':                                     (LOGIN, 403, 403, 403, 403, 403, MFA),
    'resources:author':                                           (200, 200, 200, 200, 200, 200, MFA),
    'resources:detail':                                           (404, 200, 404, 404, 404, 404, MFA),
    'resources:edit':                                             (LOGIN, 200, 403, 403, 403, 403, MFA),
    'resources:submit':                                           (LOGIN, 405, 405, 405, 405, 405, MFA),
    'resources:review':                                           (LOGIN, 403, 403, 403, 403, 403, MFA),
    'resources:download':                                         (404, 200, 404, 404, 404, 404, MFA),
    'resources:preview':                                          (404, 200, 404, 404, 404, 404, MFA),
    'resources:favourite':                                        (LOGIN, 405, 405, 405, 405, 405, MFA),
    'search:results':                                             (200, 200, 200, 200, 200, 200, MFA),
    # The competency framework: public pages for everyone (credentials link them); the admin for certification
    # administrators, who publish versions and start new ones.
    'competencies:index':                                         (200,    200,  200,  200,   200,   200,   MFA),
    'competencies:framework':                                     (200,    200,  200,  200,   200,   200,   MFA),
    'competencies:area':                                          (200,    200,  200,  200,   200,   200,   MFA),
    'competencies:indicator':                                     (200,    200,  200,  200,   200,   200,   MFA),
    'competencies_admin:publish':                                 (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'competencies_admin:new_version':                             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_framework:list':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_framework:list_results':        (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_framework:add':                 (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_framework:edit':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_framework:delete':              (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_framework:usage':               (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_framework:history':             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_framework:history_results':     (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_framework:copy':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippetchoosers_competencies_framework:choose':       (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_framework:choose_results':(LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_framework:chosen':       (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_framework:chosen_multiple':(LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_framework:create':       (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_area:list':                     (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_area:list_results':             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_area:add':                      (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_area:edit':                     (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_area:delete':                   (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_area:usage':                    (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_area:history':                  (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_area:history_results':          (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_area:copy':                     (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippetchoosers_competencies_area:choose':            (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_area:choose_results':    (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_area:chosen':            (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_area:chosen_multiple':   (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_area:create':            (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_indicator:list':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_indicator:list_results':        (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_indicator:add':                 (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_indicator:edit':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_indicator:delete':              (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_indicator:usage':               (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_indicator:history':             (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_indicator:history_results':     (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippets_competencies_indicator:copy':                (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
    'wagtailsnippetchoosers_competencies_indicator:choose':       (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_indicator:choose_results':(LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_indicator:chosen':       (LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_indicator:chosen_multiple':(LOGIN,  LOGIN, LOGIN, 200,   200,   200,   MFA),
    'wagtailsnippetchoosers_competencies_indicator:create':       (LOGIN,  LOGIN, LOGIN, ADMIN, ADMIN, 200,   MFA),
}

PAGES = {
    'community.CommunityIndexPage':                               (200,    200,  200,  200,   200,   200,   MFA),
    'community.CommunityPage':                                    (200,    200,  200,  200,   200,   200,   MFA),
    'community.ExpertIndexPage':                                  (200,    200,  200,  200,   200,   200,   MFA),
    'courses.CourseIndexPage':                                    (200,    200,  200,  200,   200,   200,   MFA),
    'courses.CoursePage':                                         (200,    200,  200,  200,   200,   200,   MFA),
    'courses.ModulePage':                                         (200,    200,  200,  200,   200,   200,   MFA),
    'courses.WorkshopIndexPage':                                  (200,    200,  200,  200,   200,   200,   MFA),
    'courses.WorkshopPage':                                       (200,    200,  200,  200,   200,   200,   MFA),
    'home.HomePage':                                              (200,    200,  200,  200,   200,   200,   MFA),
    'home.NewsIndexPage':                                         (200,    200,  200,  200,   200,   200,   MFA),
    'home.NewsPage':                                              (200,    200,  200,  200,   200,   200,   MFA),
    'home.StandardPage':                                          (200,    200,  200,  200,   200,   200,   MFA),
}
# fmt: on


def our_url_patterns(patterns=None, namespace=None):
    """(name, pattern) of every URL whose view belongs to our apps or is an admin view of one of our models."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from our_url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            view = pattern.callback
            view_class = getattr(view, "view_class", None)
            module = (view_class or view).__module__
            model = getattr(view, "view_initkwargs", {}).get("model") or getattr(view_class, "model", None)
            model_app = model._meta.app_label if model is not None and hasattr(model, "_meta") else ""
            if module.split(".")[0] in OUR_APPS or model_app in OUR_APPS:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def our_page_types():
    return sorted(
        f"{model._meta.app_label}.{model.__name__}" for model in get_page_models() if model._meta.app_label in OUR_APPS
    )


def authenticated(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user


@pytest.fixture
def world(db, platform_pki):  # noqa: F811
    """The demo site, plus the roles it has no account for; returns the objects each URL is opened on."""
    call_command("load_demo", stdout=io.StringIO())
    teacher = User.objects.get(email="teacher@demo.ie-academy.tw")
    trainer = User.objects.get(email="trainer@demo.ie-academy.tw")
    trainers = Group.objects.get(name=TRAINERS)
    other_trainer = authenticated(
        User.objects.create_user("other-trainer@school.example.tw", "other-trainer@school.example.tw")
    )
    other_trainer.groups.add(trainers)
    catalogue = CoursePage.objects.filter(locale__language_code="zh-hant").first().get_parent()
    CoursePageFactory(parent=catalogue, slug="other-course").trainers.add(other_trainer)
    cert_admin = authenticated(User.objects.create_user("registrar@moe.example.tw", "registrar@moe.example.tw"))
    cert_admin.groups.add(Group.objects.get(name=CERTIFICATION_ADMINISTRATORS))
    staff_no_mfa = User.objects.create_user("editor@moe.example.tw", "editor@moe.example.tw", is_staff=True)
    staff_no_mfa.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert not Authenticator.objects.filter(user=staff_no_mfa).exists()

    module = next(page for page in ModulePage.objects.filter(locale__language_code="zh-hant") if page.h5p_package_ids)
    course = module.get_parent().specific
    assert course.trainers.filter(pk=trainer.pk).exists()
    package = H5PPackage.objects.get(pk=module.h5p_package_ids[0])
    certificate = (
        Certificate.objects.filter(status=Certificate.Status.ISSUED)
        .order_by(Case(When(user=teacher, then=0), default=1))
        .first()
    )
    programme = CertificationProgramme.objects.first()
    approval = ApprovalRequest.objects.create(user=teacher, programme=CertificationProgramme.objects.last())
    community = CommunityPage.objects.filter(locale__language_code="zh-hant").first()
    exam = Quiz.objects.get(title_en="Advanced programme final exam")
    exam_module = ModulePage.objects.get(slug="final-exam", locale__language_code="zh-hant")
    essays = QuestionCategory.objects.get(name_en="Chapter 4: essays")
    essay_quiz = Quiz.objects.create(title_zh="申論", title_en="Essay")
    QuizDraw.objects.create(quiz=essay_quiz, category=essays, count=1)
    finish_attempt(start_attempt(essay_quiz, exam_module, teacher))
    # Discussions: the teacher is a member who started a thread with an attachment; the other teacher is not.
    community.join(teacher)
    thread = posting.start_thread(board_for(community), teacher, "跨文化教案", "內容")
    attachment = Attachment.objects.create(
        post=thread.posts.get(), file=ContentFile(b"%PDF-1.7", name="a.pdf"), name="a.pdf", size=8, content_type="x"
    )
    workshop_session = TrainingSession.objects.filter(kind=TrainingSession.Kind.WORKSHOP).first()
    # Enough answers to the workshop's questionnaire that its results and exports open.
    survey = Survey.objects.get(session=workshop_session)
    for number in range(min_respondents()):
        respondent = User.objects.create_user(f"respondent{number}@school.example.tw", f"r{number}@school.example.tw")
        Attendance.objects.create(session=workshop_session, user=respondent, method="list")
        submit(survey, respondent, {})
    resource = Resource.objects.create(
        title="跨文化教案",
        summary="s",
        kind="lesson_plan",
        file=ContentFile(b"%PDF-1.7", name="plan.pdf"),
        preview=ContentFile(b"\x89PNG", name="preview.png"),
        school_level="junior_high",
        subject_domain="languages",
        theme="intercultural",
        language="zh",
        author=teacher,
        status=ResourceStatus.CHANGES_REQUESTED,
    )
    scorm_module = next(
        page for page in ModulePage.objects.filter(locale__language_code="zh-hant") if page.scorm_package_ids
    )
    scorm_package = ScormPackage.objects.get(pk=scorm_module.scorm_package_ids[0])
    # A privacy notice in force that everyone has agreed to, so that no URL is answered by the consent page.
    policy = PolicyVersion.objects.create(
        version=1,
        privacy_zh="隱私",
        privacy_en="Privacy",
        terms_zh="條款",
        terms_en="Terms",
        in_force_from="2026-01-01",
    )
    minting = RequestFactory().get("/")
    minting.user = teacher
    users = {
        "teacher": teacher,
        "other_teacher": User.objects.create_user(
            "other-teacher@school.example.tw", "other-teacher@school.example.tw"
        ),
        "trainer": trainer,
        "other_trainer": other_trainer,
        "cert_admin": cert_admin,
        "staff_no_mfa": staff_no_mfa,
    }
    PolicyConsent.objects.bulk_create(PolicyConsent(user=user, version=policy) for user in users.values())
    return {
        "policy": policy,
        "content_token": content_token(minting, module, package),
        "scorm_token": content_token(minting, scorm_module, scorm_package),
        "scorm_package": scorm_package,
        "users": {"anonymous": None, **users},
        "course": course,
        "module": module,
        "package": package,
        "workshop_session": workshop_session,
        "thread": thread,
        "attachment": attachment,
        "notification": notify(teacher, "reply", url="/", context={"subject": "s"}),
        "survey": survey,
        "resource": resource,
        "framework": Framework.objects.get(slug=DEMO_FRAMEWORK),
        "indicator": Indicator.objects.get(area__framework__slug=DEMO_FRAMEWORK, code="NI-E1"),
        "community": community,
        "community_session": community.community_sessions.first(),
        "expert": Expert.objects.first(),
        "certificate": certificate,
        "programme": programme,
        "approval": approval,
        "name_correction": NameCorrectionRequest.objects.create(
            user=teacher,
            printed_name_zh=certificate.holder_name_zh,
            printed_name_en=certificate.holder_name_en,
            name_zh="更正後",
            name_en=certificate.holder_name_en,
            reason="typo",
            evidence=ContentFile(b"%PDF-1.4\n%%EOF", name="evidence.pdf"),
        ),
        "bulk": BulkIssue.objects.create(programme=programme, created_by=cert_admin),
        "quiz": exam,
        "question_category": exam.draws.get().category,
        "attempt": start_attempt(exam, exam_module, teacher),
        "essay_slot": essays_to_grade(Attempt.objects.all()).get(),
        "revision": exam.draws.get().category.questions.first().revisions.first(),
        "export": ReportExport.objects.create(
            requested_by=trainer,
            report="learner-progress",
            language="zh-hant",
            status=ReportExport.Status.DONE,
            file=ContentFile(b"PK", name="learner-progress.xlsx"),
        ),
    }


def url_arguments(name, pattern, world):
    """The kwargs to reverse ``name`` with, taken from the world's objects."""
    by_pk = {
        "certification_admin:bulk_progress": world["bulk"],
        "certification_admin:review_request": world["approval"],
        "certification_approvalrequest": world["approval"],
        "certification_admin:review_name_correction": world["name_correction"],
        "certification_admin:name_correction_evidence": world["name_correction"],
        "certification_namecorrectionrequest": world["name_correction"],
        "certification_programme": world["programme"],
        "wagtailsnippets_courses_h5ppackage": world["package"],
        "wagtailsnippetchoosers_courses_h5ppackage": world["package"],
        "wagtailsnippets_courses_scormpackage": world["scorm_package"],
        "wagtailsnippetchoosers_courses_scormpackage": world["scorm_package"],
        "wagtailsnippets_community_expert": world["expert"],
        "wagtailsnippets_accounts_policyversion": world["policy"],
        "wagtailsnippetchoosers_accounts_policyversion": world["policy"],
        "wagtailsnippetchoosers_community_expert": world["expert"],
        "certification_admin:revoke": world["certificate"],
        "certification_admin:reissue": world["certificate"],
        "certification_certificate": world["certificate"],
        "wagtailusers_users": world["users"]["teacher"],
        "wagtailsnippets_assessments_question": world["question_category"].questions.first(),
        "wagtailsnippetchoosers_assessments_question": world["question_category"].questions.first(),
        "wagtailsnippets_assessments_questioncategory": world["question_category"],
        "wagtailsnippetchoosers_assessments_questioncategory": world["question_category"],
        "wagtailsnippets_assessments_quiz": world["quiz"],
        "wagtailsnippetchoosers_assessments_quiz": world["quiz"],
        "competencies_admin:publish": world["framework"],
        "competencies_admin:new_version": world["framework"],
        "wagtailsnippets_competencies_framework": world["framework"],
        "wagtailsnippetchoosers_competencies_framework": world["framework"],
        "wagtailsnippets_competencies_area": world["indicator"].area,
        "wagtailsnippetchoosers_competencies_area": world["indicator"].area,
        "wagtailsnippets_competencies_indicator": world["indicator"],
        "wagtailsnippetchoosers_competencies_indicator": world["indicator"],
        "wagtailsnippets_feedback_questionnaire": world["survey"].questionnaire,
        "wagtailsnippetchoosers_feedback_questionnaire": world["survey"].questionnaire,
        "wagtailsnippets_feedback_survey": world["survey"],
        "wagtailsnippetchoosers_feedback_survey": world["survey"],
        "resources": world["resource"],
    }
    session = world["community_session"] if name.startswith("community:") else world["workshop_session"]
    values = {
        "course_id": world["course"].pk,
        "module_id": world["module"].pk,
        "package_id": world["package"].pk,
        "path": "h5p.json",
        "token": world["content_token"],
        "session_id": session.pk,
        "page_id": world["community"].pk,
        "expert_id": world["expert"].pk,
        "public_id": world["certificate"].public_id,
        "number": 0,  # the first status list, which holds the world's certificates
        "slug": "learner-progress" if name.startswith("reports:") else world["programme"].slug,
        "file_format": "csv",
        "export_id": world["export"].pk,
        "quiz_id": world["quiz"].pk,
        "attempt_id": world["attempt"].pk,
        "category_id": world["question_category"].pk,
        "slot_id": world["essay_slot"].pk,
        "revision_id": world["revision"].pk,
        "revision_id_a": world["revision"].pk,
        "revision_id_b": world["revision"].pk,
        "key": "not-a-key",
        "thread_id": world["thread"].pk,
        "post_id": world["thread"].posts.get().pk,
        "board_id": world["thread"].board_id,
        "attachment_id": world["attachment"].pk,
        "notification_id": world["notification"].pk,
        "survey_id": world["survey"].pk,
        "user_id": world["users"]["teacher"].pk,
        "version": world["framework"].version,
        "area": world["indicator"].area.code,
        "code": world["indicator"].code,
    }
    if name.startswith("competencies:"):
        values["slug"] = world["framework"].slug
    if name.startswith("scorm_content:"):
        values.update(token=world["scorm_token"], path="index.html")
    if name == "notifications_unsubscribe":
        values["token"] = unsubscribe_token(world["users"]["teacher"].pk, "reply")
    if name == "assessments:review":
        values["attempt_id"] = world["essay_slot"].attempt_id  # a finished attempt: its review, not a redirect
    names = list(getattr(pattern.pattern, "converters", {})) or list(pattern.pattern.regex.groupindex)
    if "pk" in names:
        # Each pk names an object of the URL's own model: an id borrowed from another model may name no row (ids
        # differ between databases, PostgreSQL's sequences are never reset), and Wagtail's views answer a missing
        # object with 404 before they look at permissions.
        values["pk"] = (by_pk.get(name) or by_pk[name.rsplit(":", 1)[0]]).pk
    return {key: values[key] for key in names}


def page_url(page_type):
    """A live zh-Hant page of ``page_type`` ("app.Model"), as the demo site has one of each."""
    app_label, model_name = page_type.split(".")
    page = (
        Page.objects.live()
        .filter(content_type__app_label=app_label, content_type__model=model_name.lower())
        .filter(locale__language_code="zh-hant")
        .first()
    )
    return page.url


def cell(response):
    if response.status_code in (301, 302):
        location = response["Location"].split("?")[0]
        if "mfa-required" in location:
            return MFA
        if "/login/" in location:
            return LOGIN
        return "→" + location
    return response.status_code


def observe(client, world, url):
    row = []
    for role in ROLES:
        client.logout()
        user = world["users"][role]
        if user is not None:
            client.force_login(user)
        row.append(cell(client.get(url)))
    return tuple(row)


def test_every_url_of_our_apps_has_a_row(db):
    defined = {name for name, _pattern in our_url_patterns()}
    assert not defined - set(URLS), "new URLs without a row in the permission matrix"
    assert not set(URLS) - defined, "rows for URLs that no longer exist"


def test_every_page_type_of_our_apps_has_a_row():
    assert sorted(PAGES) == our_page_types()


def test_permission_matrix(client, world):
    from django.urls import reverse
    from django.utils import translation

    mismatches = []
    with translation.override("zh-hant"):
        urls = {
            name: reverse(name, kwargs=url_arguments(name, pattern, world)) for name, pattern in our_url_patterns()
        }
        urls |= {page_type: page_url(page_type) for page_type in PAGES}
        for name, url in urls.items():
            expected = URLS.get(name) or PAGES[name]
            observed = observe(client, world, url)
            for role, want, got in zip(ROLES, expected, observed, strict=True):
                if want != got:
                    mismatches.append(f"{name} {url} as {role}: expected {want!r}, got {got!r}")
    assert not mismatches, "\n".join(mismatches)
