"""Personal data stays out of logs and error reports."""

import logging
import sys
import uuid

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from tests.accounts.factories import UserFactory


def personal_data():
    """Made up at run time: error reports quote the source around each frame, so literals would show up."""
    token = uuid.uuid4().hex
    return {
        "email": f"teacher-{token}@school.example.tw",
        "name_zh": "".join(chr(0x4E00 + int(token[i : i + 3], 16)) for i in (0, 3, 6)),
        "name_en": f"Teacher {token[:8]}",
    }


def test_error_reports_hide_every_submitted_value_and_the_cookies():
    personal = personal_data()
    session_id = uuid.uuid4().hex
    request = RequestFactory().post("/zh-hant/accounts/profile/", personal, HTTP_COOKIE=f"sessionid={session_id}")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        report = ExceptionReporter(request, *sys.exc_info())
        text = report.get_traceback_text() + report.get_traceback_html()
    for value in [*personal.values(), session_id]:
        assert value not in text
    assert "name_zh" in text, "the field names stay, so the report still says what was submitted"


@pytest.mark.django_db
def test_failed_and_successful_sign_ins_log_no_address_or_password(client, caplog):
    personal = personal_data()
    user = UserFactory(email=personal["email"])
    with caplog.at_level(logging.DEBUG):
        client.post("/zh-hant/accounts/login/", {"login": user.email, "password": "Wrong-password-1"})
        client.post("/zh-hant/accounts/login/", {"login": user.email, "password": "Correct-horse-battery-42"})
        client.post("/zh-hant/accounts/profile/", {**personal, "school": "大墩國中"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (user.email, "Wrong-password-1", "Correct-horse-battery-42", personal["name_zh"]):
        assert secret not in logged
