"""The two staff roles and what they may do, kept true as the apps add models and pages.

The groups are created by a migration; their permissions are (re)granted after every migrate and whenever a
course or workshop index page is created, so a model added later by an app is picked up without a new data
migration. Granting is additive and idempotent: permissions an administrator added by hand are kept.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

TRAINERS = "Trainers"
CERTIFICATION_ADMINISTRATORS = "Certification administrators"
RESOURCE_REVIEWERS = "Resource reviewers"

# "app_label" grants every permission of the app (its models come and go while it is being written);
# "app_label.model" grants the listed actions on that model.
MODEL_PERMISSIONS = {
    TRAINERS: {
        "wagtailadmin.admin": ["access"],
        "courses.h5ppackage": ["add", "change", "delete", "view"],
        "courses.scormpackage": ["add", "change", "delete", "view"],
        "courses.trainingsession": ["add", "change", "view"],
        "courses.registration": ["add", "change", "view"],
        "courses.attendance": ["add", "change", "delete", "view"],
        "courses.enrolment": ["view"],
        "courses.moduleprogress": ["view"],
        # The question bank, quizzes, and the attempts they grade (essays, regrading, statistics).
        "assessments": "all",
        # Trainers author the feedback questionnaires and give them to their workshops and courses.
        "feedback.questionnaire": ["add", "change", "view"],
        "feedback.survey": ["add", "change", "delete", "view"],
    },
    CERTIFICATION_ADMINISTRATORS: {
        "wagtailadmin.admin": ["access"],
        "certification": "all",
        # The competency framework is a national standard that certificates cite, not course content.
        "competencies": "all",
        "courses.enrolment": ["view"],
        "courses.moduleprogress": ["view"],
        "courses.trainingsession": ["view"],
        "courses.attendance": ["view"],
        "accounts.user": ["view"],
        "accounts.teacherprofile": ["view"],
    },
    # Reviewers work in the site's review queue (resources.views), not in the admin.
    RESOURCE_REVIEWERS: {
        "resources.resource": ["review", "view"],
    },
}

# Trainers edit the course tree: course and workshop index pages and everything below them.
TRAINER_PAGE_TYPES = [("courses", "courseindexpage"), ("courses", "workshopindexpage")]
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]

# Images and documents for course content, in the root collection (which holds every other collection).
TRAINER_COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def _permissions(grants):
    query = Q(pk__in=[])
    for target, actions in grants.items():
        app_label, _dot, model = target.partition(".")
        if actions == "all":
            query |= Q(content_type__app_label=app_label)
        else:
            codenames = [f"{action}_{model}" for action in actions]
            query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return Permission.objects.filter(query)


def trainer_page_roots():
    query = Q(pk__in=[])
    for app_label, model in TRAINER_PAGE_TYPES:
        query |= Q(content_type__app_label=app_label, content_type__model=model)
    return Page.objects.filter(query)


def grant_trainer_pages(pages):
    trainers, _created = Group.objects.get_or_create(name=TRAINERS)
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=TRAINER_PAGE_PERMISSIONS
    )
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=trainers, page=page, permission=permission)


def sync_roles():
    """Create the groups if needed and grant every permission their role implies that exists by now."""
    groups = {}
    for name, grants in MODEL_PERMISSIONS.items():
        groups[name], _created = Group.objects.get_or_create(name=name)
        groups[name].permissions.add(*_permissions(grants))
    grant_trainer_pages(trainer_page_roots())
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codenames in TRAINER_COLLECTION_PERMISSIONS.items():
            for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[TRAINERS], collection=root_collection, permission=permission
                )
    return groups
