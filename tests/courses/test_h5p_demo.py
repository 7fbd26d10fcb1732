"""Our own IEA.Quiz library builds real packages that our validator accepts and the demo loader can upload."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from courses.h5p.demo import LIBRARY_FOLDER, build_quiz_package, demo_packages, load_demo_packages
from courses.h5p.demo.quizzes import DEMO_QUIZZES
from courses.h5p.package import PackageLimits, inspect_package
from courses.h5p.scoring import ANSWER_SEPARATOR, QUESTION_SEPARATOR, RESPONSE_SEPARATOR, rescore_statement
from courses.models import H5PPackage


@pytest.mark.parametrize("package", demo_packages(), ids=lambda package: package.filename)
def test_demo_packages_pass_our_validator(package):
    manifest = inspect_package(io.BytesIO(package.data), PackageLimits())
    assert manifest.main_library == "IEA.Quiz"
    assert manifest.main_library_version == "1.0"
    assert manifest.title == package.title
    assert manifest.content_json == DEMO_QUIZZES[package.filename]
    names = {info.filename for info in manifest.entries}
    assert {"IEA.Quiz-1.0/scripts/quiz.js", "IEA.Quiz-1.0/styles/quiz.css", "IEA.Quiz-1.0/library.json"} <= names


def test_builds_are_byte_for_byte_repeatable():
    content = DEMO_QUIZZES["iea-quiz-professional-growth.h5p"]
    assert build_quiz_package(content) == build_quiz_package(content)


@pytest.mark.parametrize("quiz", DEMO_QUIZZES.values(), ids=list(DEMO_QUIZZES))
def test_every_question_is_answerable_and_scores_full_marks_when_right(quiz):
    ids = [question["id"] for question in quiz["questions"]]
    assert len(ids) == len(set(ids))
    parts = []
    for question in quiz["questions"]:
        correct = [index for index, answer in enumerate(question["answers"]) if answer["correct"] is True]
        assert correct, question["id"]
        parts.append(question["id"] + ANSWER_SEPARATOR + RESPONSE_SEPARATOR.join(map(str, correct)))
    statement = {
        "object": {"id": "https://x/h5p/activities/y"},
        "result": {"response": QUESTION_SEPARATOR.join(parts)},
    }
    score = rescore_statement(quiz, "IEA.Quiz", statement)
    assert score.raw == score.max == len(quiz["questions"])


def test_library_is_our_own_and_mit_licensed():
    library = json.loads((LIBRARY_FOLDER / "library.json").read_text())
    assert (library["machineName"], library["license"]) == ("IEA.Quiz", "MIT")
    script = (LIBRARY_FOLDER / "scripts" / "quiz.js").read_text()
    assert "innerHTML =" not in script.replace("container.innerHTML = ''", "")
    assert "IEA.Quiz = Quiz" in script


def test_load_demo_packages_is_idempotent(db):
    first = load_demo_packages()
    second = load_demo_packages()
    assert {name: package.pk for name, package in first.items()} == {name: p.pk for name, p in second.items()}
    assert H5PPackage.objects.filter(main_library="IEA.Quiz").count() == len(DEMO_QUIZZES)


def test_build_demo_h5p_command_writes_valid_files(tmp_path):
    call_command("build_demo_h5p", output=str(tmp_path))
    files = sorted(tmp_path.glob("*.h5p"))
    assert [path.name for path in files] == sorted(DEMO_QUIZZES)
    for path in files:
        with zipfile.ZipFile(path) as archive:
            assert json.loads(archive.read("h5p.json"))["mainLibrary"] == "IEA.Quiz"
