import socket

import pytest

from tests.lms.test_settings import run_django

HEALTHZ = (
    "from django.test import Client\n"
    "response = Client().get('/healthz')\n"
    "print(response.status_code, response.json()['database'])\n"
)


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param(f"postgres://postgres@127.0.0.1:{closed_port()}/lms", id="postgresql-server-down"),
        pytest.param("sqlite:////nonexistent-folder/db.sqlite3", id="sqlite-file-unreachable"),
    ],
)
def test_healthz_answers_503_when_the_database_is_down(database_url):
    result = run_django(HEALTHZ, DATABASE_URL=database_url)
    assert result.stdout.split() == ["503", "down"]


def test_healthz_answers_503_for_a_missing_postgresql_database():
    if socket.socket().connect_ex(("127.0.0.1", 5432)) != 0:
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    result = run_django(HEALTHZ, DATABASE_URL="postgres://postgres@127.0.0.1:5432/lms_database_that_does_not_exist")
    assert result.stdout.split() == ["503", "down"]
