import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.accounts.factories import UserFactory


@pytest.fixture
def administrator(db):
    """A superuser with the authenticator app the admin asks every staff account for."""
    user = UserFactory(email="admin@moe.example.tw", is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def person(db):
    return UserFactory(email="teacher@school.example.tw")
