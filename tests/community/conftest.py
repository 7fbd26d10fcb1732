import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from .factories import CommunityIndexPageFactory, CommunityPageFactory, ExpertIndexPageFactory, UserFactory


@pytest.fixture
def community_index(home_page):
    return CommunityIndexPageFactory(parent=home_page)


@pytest.fixture
def facilitator(db):
    """With the authenticator app every privileged role must have."""
    facilitator = UserFactory(email="facilitator@school.example.tw")
    TOTP.activate(facilitator, generate_totp_secret())
    return facilitator


@pytest.fixture
def community(community_index, facilitator):
    page = CommunityPageFactory(parent=community_index)
    page.facilitators.add(facilitator)
    page.save_revision().publish()
    return page


@pytest.fixture
def english_community(community, locales):
    """The English translation of ``community``, as Wagtail i18n makes it."""
    home_en = community.get_parent().get_parent().copy_for_translation(locales["en"])
    home_en.save_revision().publish()
    index_en = community.get_parent().copy_for_translation(locales["en"])
    index_en.save_revision().publish()
    page = community.copy_for_translation(locales["en"])
    page.title = "International Curriculum Community"
    page.save_revision().publish()
    return page.specific


@pytest.fixture
def expert_index(home_page):
    return ExpertIndexPageFactory(parent=home_page)
