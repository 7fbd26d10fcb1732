"""The courses of the national-scale data set (``seed_scale``): bilingual course and module pages, enrolments,
module progress and xAPI statements, all derived from the row's number."""

import datetime
import uuid
from decimal import Decimal

from core.seeding import with_block_ids
from home.demo import ensure_page, paragraphs

from .choices import CompetencyArea, CourseLevel
from .demo import CATALOGUE
from .h5p.demo import load_demo_packages
from .models import CourseIndexPage, CoursePage, Enrolment, ModulePage, ModuleProgress, XAPIStatement

MODULES_PER_COURSE = 8


class CourseSeed:
    """The seeded courses (zh-Hant pages, in order), their modules and the quiz every module shows."""

    def __init__(self, seeding):
        self.seeding = seeding
        self.courses, self.modules, self.package = [], [], None

    def pages(self, homes, count: int) -> None:
        """``count`` courses of ``MODULES_PER_COURSE`` modules each, in zh-Hant and English."""
        seeding = self.seeding
        self.package = next(iter(load_demo_packages().values()))
        catalogue = ensure_page(homes, CourseIndexPage, "courses", CATALOGUE)
        areas, levels = list(CompetencyArea.values), list(CourseLevel.values)
        quiz = {"type": "h5p", "value": {"package": self.package.pk, "title": ""}}
        rule = {"completion_rule": "h5p_completed", "pass_mark": 60, "estimated_minutes": 20}
        # Fixed block ids: every module of a language has the same body, so the page writer can copy the
        # references (to the quiz's package) Wagtail finds in the first one.
        module_fields = {
            "zh-hant": {"body": with_block_ids([*paragraphs("單元內容。"), quiz]), **rule},
            "en": {"body": with_block_ids([*paragraphs("What the module teaches."), quiz]), **rule},
        }
        for number in range(count):
            common = {
                "competency_area": areas[number % len(areas)],
                "level": levels[number % len(levels)],
                "study_hours": Decimal(2 + number % 7),
            }
            pages = seeding.add_page(
                catalogue,
                CoursePage,
                f"scale-course-{number}",
                {
                    "zh-hant": {"title": f"國際教育課程 {number}", "summary": "全國規模測試課程。", **common},
                    "en": {"title": f"International education course {number}", "summary": "A test course.", **common},
                },
            )
            self.courses.append(pages["zh-hant"])
            course_modules = []
            for module_number in range(MODULES_PER_COURSE):
                titles = {"zh-hant": f"單元 {module_number + 1}", "en": f"Module {module_number + 1}"}
                fields = {language: {"title": titles[language], **module_fields[language]} for language in titles}
                course_modules.append(
                    seeding.add_page(pages, ModulePage, f"module-{module_number}", fields)["zh-hant"]
                )
            self.modules.append(course_modules)
        seeding.pages.flush()

    def enrolment_plan(self, user_ids, enrolments: int):
        """(user id, course number, modules completed) of every enrolment: each teacher in turn, then again."""
        for number in range(enrolments):
            user_index = number % len(user_ids)
            course = (user_index + number // len(user_ids)) % len(self.courses)
            yield user_ids[user_index], course, number % (MODULES_PER_COURSE + 1)

    def progress_and_enrolments(self, user_ids, enrolments: int) -> None:
        seeding = self.seeding
        enrolled = seeding.now - datetime.timedelta(days=200)

        def enrolment_rows():
            for user_id, course, completed in self.enrolment_plan(user_ids, enrolments):
                done = completed == MODULES_PER_COURSE
                yield {
                    "user": user_id,
                    "course": self.courses[course].pk,
                    "status": Enrolment.Status.ACTIVE,
                    "enrolled_at": enrolled,
                    "progress_percent": round(100 * completed / MODULES_PER_COURSE),
                    "completed_at": enrolled + datetime.timedelta(days=30) if done else None,
                }

        seeding.rows.insert(Enrolment, enrolment_rows(), enrolments, "enrolments")

        def progress_rows():
            for user_id, course, completed in self.enrolment_plan(user_ids, enrolments):
                for position, module in enumerate(self.modules[course]):
                    row = {"user": user_id, "module": module.pk, "course": self.courses[course].pk}
                    row["first_viewed_at"] = enrolled
                    if position < completed:
                        row["status"] = ModuleProgress.Status.COMPLETED
                        row["best_score"] = Decimal(60 + (user_id * 7 + position) % 41)
                        row["completed_at"] = enrolled + datetime.timedelta(days=position + 1)
                    else:
                        row["status"] = ModuleProgress.Status.IN_PROGRESS
                    yield row

        seeding.rows.insert(ModuleProgress, progress_rows(), enrolments * MODULES_PER_COURSE, "module progress")

    def xapi_statements(self, user_ids, enrolments: int, count: int) -> None:
        plan = list(self.enrolment_plan(user_ids, enrolments))
        verb_answered = "http://adlnet.gov/expapi/verbs/answered"
        object_id = f"urn:ie-academy:h5p:{self.package.pk}"

        def statements():
            for number in range(count):
                user_id, course, _completed = plan[number % len(plan)]
                module = self.modules[course][number // len(plan) % MODULES_PER_COURSE]
                statement_id = uuid.UUID(int=number + 1, version=4)
                yield {
                    "statement_id": statement_id,
                    "user": user_id,
                    "module": module.pk,
                    "package": self.package.pk,
                    "verb": verb_answered,
                    "object_id": object_id,
                    "raw_score": Decimal(number % 11),
                    "max_score": Decimal(10),
                    "payload": {
                        "id": str(statement_id),
                        "verb": {"id": verb_answered},
                        "object": {"id": object_id},
                        "result": {"score": {"raw": number % 11, "max": 10}},
                    },
                }

        self.seeding.rows.insert(XAPIStatement, statements(), count, "xAPI statements")
