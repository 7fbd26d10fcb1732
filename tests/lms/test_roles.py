import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from accounts.models import User
from courses.models import CourseIndexPage
from lms.roles import CERTIFICATION_ADMINISTRATORS, TRAINERS, sync_roles
from tests.home.factories import StandardPageFactory


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


@pytest.mark.django_db
def test_migrate_creates_both_roles_with_admin_access():
    trainers = codenames(TRAINERS)
    administrators = codenames(CERTIFICATION_ADMINISTRATORS)
    assert {"access_admin", "add_h5ppackage", "change_h5ppackage", "delete_h5ppackage", "add_attendance"} <= trainers
    assert "access_admin" in administrators
    assert not any(name.endswith("h5ppackage") for name in administrators)
    certification = set(
        Permission.objects.filter(content_type__app_label="certification").values_list("codename", flat=True)
    )
    assert certification <= administrators
    assert not certification & trainers


@pytest.mark.django_db
def test_trainers_may_upload_images_and_documents_in_every_collection():
    granted = GroupCollectionPermission.objects.filter(
        group__name=TRAINERS, collection=Collection.get_first_root_node()
    ).values_list("permission__codename", flat=True)
    assert {"add_image", "choose_image", "add_document", "choose_document"} <= set(granted)


@pytest.mark.django_db
def test_sync_roles_is_idempotent_and_picks_up_models_that_appear_later():
    before = {name: codenames(name) for name in (TRAINERS, CERTIFICATION_ADMINISTRATORS)}
    sync_roles()
    assert {name: codenames(name) for name in before} == before

    # A certification model added after the migration: its permissions go to the administrators.
    content_type = ContentType.objects.create(app_label="certification", model="renewalrequest")
    Permission.objects.create(content_type=content_type, codename="approve_renewalrequest", name="Can approve")
    sync_roles()
    assert "approve_renewalrequest" in codenames(CERTIFICATION_ADMINISTRATORS)
    assert "approve_renewalrequest" not in codenames(TRAINERS)


@pytest.mark.django_db
def test_sync_roles_keeps_permissions_granted_by_hand():
    trainers = Group.objects.get(name=TRAINERS)
    trainers.permissions.add(Permission.objects.get(codename="view_user"))
    sync_roles()
    assert "view_user" in codenames(TRAINERS)


@pytest.mark.django_db
def test_trainers_edit_the_course_tree_and_nothing_else(home_page):
    catalogue = CourseIndexPage(title="課程", slug="courses")
    home_page.add_child(instance=catalogue)
    about = StandardPageFactory(parent=home_page, title="關於")
    trainer = User.objects.create_user("trainer", "trainer@example.org", "x")
    trainer.groups.add(Group.objects.get(name=TRAINERS))

    assert GroupPagePermission.objects.filter(group__name=TRAINERS, page=catalogue).count() == 5
    catalogue_permissions = catalogue.permissions_for_user(trainer)
    assert catalogue_permissions.can_add_subpage()
    assert catalogue_permissions.can_edit()
    assert catalogue_permissions.can_publish()
    assert not about.permissions_for_user(trainer).can_edit()
    assert not home_page.permissions_for_user(trainer).can_add_subpage()

    sync_roles()
    assert GroupPagePermission.objects.filter(group__name=TRAINERS, page=catalogue).count() == 5
