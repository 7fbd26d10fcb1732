"""Demo courses, modules and workshops drawn from chapter 4 of the white paper, in zh-Hant and English.

Five courses (one per competency area, beginner and advanced), modules that play the project's own H5P quizzes
(``courses.h5p.demo``) and our own SCORM package (``courses.scorm.demo``), workshops with sessions, and a demo
teacher part-way through. Idempotent: pages are found by slug, enrolments and attendance by their unique keys, so
running it twice adds nothing.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from competencies.demo import SLUG as COMPETENCY_FRAMEWORK
from competencies.models import Indicator
from home.demo import ensure_page, home_pages, paragraphs

from .attendance import record_attendance, register
from .enrolment import enrol
from .h5p.demo import load_demo_packages
from .models import Attendance, CourseIndexPage, CoursePage, ModulePage, ScormPackage, WorkshopIndexPage, WorkshopPage
from .progress import record_view
from .scorm.demo import build_demo_package

TEACHER = "teacher@demo.ie-academy.tw"
TRAINER = "trainer@demo.ie-academy.tw"
SCORM_DEMO = "iea-white-paper-goals.scorm.zip"

CATALOGUE = {
    "zh-hant": {
        "title": "認證課程",
        "introduction": "國際教育專業知能認證課程：依白皮書的五大面向設計，完成課程與研習時數即可申請證書。",
        "show_in_menus": True,
    },
    "en": {
        "title": "Certification courses",
        "introduction": (
            "The international-education professional competency course, in the five areas of the white paper. "
            "Complete the courses and workshop hours to apply for your certificate."
        ),
        "show_in_menus": True,
    },
}

WORKSHOP_INDEX = {
    "zh-hant": {
        "title": "研習與工作坊",
        "introduction": "教師與行政人員的國際教育專業知能研習。",
        "show_in_menus": True,
    },
    "en": {
        "title": "Workshops",
        "introduction": "In-service training in international education for teachers and school administrators.",
        "show_in_menus": True,
    },
}

# slug, area, level, hours, prerequisite slug, zh (title, summary), en (title, summary), modules
# Each module: slug, zh (title, text), en (title, text), quiz file name or None, completion rule.
COURSES = [
    (
        "foundations",
        "concepts",
        "beginner",
        Decimal("6"),
        None,
        ("國際教育基礎概論", "認識中小學國際教育白皮書的願景、目標與四軌推動策略。"),
        (
            "Foundations of international education",
            "The vision, goals and four strategies of the white paper on international education.",
        ),
        [
            (
                "vision",
                ("白皮書的願景與目標", "白皮書以培育具國家認同、國際素養、全球競合力與全球責任感的國際化人才為願景。"),
                (
                    "Vision and goals of the white paper",
                    "The white paper aims to educate pupils with national identity, international literacy, "
                    "global competitiveness and a sense of global responsibility.",
                ),
                None,
                "viewed",
            ),
            (
                "four-strategies",
                ("四軌推動策略", "課程發展與教學、國際交流、教師專業成長、學校國際化，四軌並進。"),
                (
                    "Four strategies",
                    "Curriculum and teaching, international exchange, teacher professional growth and school "
                    "internationalisation move forward together.",
                ),
                None,
                "viewed",
            ),
            (
                "international-education-centre",
                ("國際教育中心", "國際教育中心協助中小學國際教育的整體規劃、協調、行政支援與績效評估。"),
                (
                    "The international education centre",
                    "The centre supports planning, coordination, administration and evaluation of international "
                    "education in primary and secondary schools.",
                ),
                None,
                "viewed",
            ),
        ],
    ),
    (
        "curriculum-integration",
        "curriculum",
        "beginner",
        Decimal("6"),
        None,
        ("國際議題融入課程", "將國際重要議題融入各科課程，發展跨學科整合教學。"),
        (
            "Bringing global issues into the curriculum",
            "Integrate major international issues into every subject and teach across disciplines.",
        ),
        [
            (
                "global-issues",
                ("選擇國際議題", "從永續發展、人權、文化多樣性等議題中，選擇與學生生活相關的主題。"),
                (
                    "Choosing global issues",
                    "Choose topics close to pupils' lives, from sustainability, human rights and cultural diversity.",
                ),
                None,
                "viewed",
            ),
            (
                "lesson-design",
                ("跨學科教案設計", "設計一份融入國際議題的跨學科教案，並規劃評量方式。"),
                (
                    "Designing a cross-curricular lesson",
                    "Design a cross-curricular lesson plan on a global issue, with its assessment.",
                ),
                None,
                "viewed",
            ),
        ],
    ),
    (
        "international-exchange",
        "exchange",
        "advanced",
        Decimal("9"),
        "foundations",
        ("學校國際交流計畫實務", "規劃姊妹校交流、國際網路交流與教育旅行，申請國際交流補助。"),
        (
            "Planning international exchange",
            "Plan sister-school exchanges, online exchanges and study visits, and apply for exchange grants.",
        ),
        [
            (
                "exchange-types",
                ("交流活動的類型", "白皮書補助的交流項目包括國際中小學生訪問研習、姊妹校交流、國際網路交流等。"),
                (
                    "Kinds of exchange",
                    "The white paper funds visits by pupils from abroad, sister-school exchanges, online exchanges "
                    "and more.",
                ),
                None,
                "viewed",
            ),
            (
                "exchange-quiz",
                ("國際交流小測驗", "完成小測驗並達到及格分數，即完成本單元。"),
                ("International exchange quiz", "Pass the quiz to complete this module."),
                "iea-quiz-international-exchange.h5p",
                "h5p_passed",
            ),
        ],
    ),
    (
        "school-internationalisation",
        "school",
        "advanced",
        Decimal("6"),
        None,
        ("學校國際化", "從校園、人力、行政、學習、課程與國際夥伴關係六個面向推動學校國際化。"),
        (
            "School internationalisation",
            "Internationalise the campus, staff, administration, learning, curriculum and partnerships.",
        ),
        [
            (
                "six-dimensions",
                ("學校國際化的六個面向", "營造雙語學習環境、建置行政支援系統、開發雙語表單，都是學校國際化的一環。"),
                (
                    "Six dimensions",
                    "A bilingual environment, administrative support and bilingual forms are all part of it.",
                ),
                None,
                "viewed",
            ),
            (
                "internationalisation-quiz",
                ("學校國際化小測驗", "完成小測驗並達到及格分數，即完成本單元。"),
                ("School internationalisation quiz", "Pass the quiz to complete this module."),
                "iea-quiz-school-internationalisation.h5p",
                "h5p_passed",
            ),
        ],
    ),
    (
        "professional-growth",
        "growth",
        "beginner",
        Decimal("3"),
        None,
        ("教師國際教育專業成長", "參與專業社群、規劃個人專業成長，取得國際教育專業知能證書。"),
        (
            "Teacher professional growth",
            "Join professional communities, plan your growth, and earn the professional competency certificate.",
        ),
        [
            (
                "growth-quiz",
                ("專業成長自我檢核", "作答完畢即完成本單元。"),
                ("Professional growth self-check", "Answer every question to complete this module."),
                "iea-quiz-professional-growth.h5p",
                "h5p_completed",
            ),
            (
                "white-paper-goals",
                ("白皮書 2.0 的四個目標（SCORM）", "這是一個 SCORM 1.2 教材：答對小測驗即完成本單元。"),
                ("The white paper's four goals (SCORM)", "A SCORM 1.2 package: answer its check right to complete."),
                SCORM_DEMO,
                "scorm_passed",
            ),
        ],
    ),
]

# slug, parent course slug or None (the workshop index), days from today, hours, capacity, place, online link,
# zh (title, summary), en (title, summary)
WORKSHOPS = [
    (
        "curriculum-workshop-taipei",
        "curriculum-integration",
        14,
        Decimal("3"),
        30,
        "臺北市中正區 教師研習中心 / Teachers' Centre, Taipei",
        "",
        ("國際議題融入課程工作坊（臺北場）", "實作一份融入國際議題的跨領域教案。"),
        ("Global issues in the curriculum (Taipei)", "Write a cross-curricular lesson plan on a global issue."),
    ),
    (
        "exchange-online-workshop",
        None,
        21,
        Decimal("2"),
        None,
        "",
        "https://meet.example.org/ie-academy-exchange",
        ("國際交流計畫撰寫線上研習", "說明國際交流補助申請與計畫撰寫要點。"),
        ("Writing an exchange proposal (online)", "How to apply for an exchange grant and write the proposal."),
    ),
    (
        "school-internationalisation-taichung",
        None,
        -10,
        Decimal("3"),
        40,
        "臺中市西區 國際教育中心 / International Education Centre, Taichung",
        "",
        ("學校國際化經驗分享工作坊（臺中場）", "各校分享雙語環境與行政國際化的經驗。"),
        ("Sharing school internationalisation (Taichung)", "Schools share their bilingual environments."),
    ),
]


def _module_body(text, package, title):
    body = paragraphs(text)
    if package is not None:
        kind = "scorm" if isinstance(package, ScormPackage) else "h5p"
        body.append({"type": kind, "value": {"package": package.pk, "title": title}})
    return body


def _demo_scorm_package(trainer):
    """Our own SCORM 1.2 package (``courses.scorm.demo``), uploaded once."""
    return ScormPackage.from_upload(ContentFile(build_demo_package(), name=SCORM_DEMO), trainer)


def _workshop_times(days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13, 30)))
    return starts, starts + datetime.timedelta(hours=3, minutes=30)


# The white paper's indicators each course develops (competencies.demo): the foundations course the elementary
# ones of all four goals, the later courses those of the stages their teachers work with.
COURSE_INDICATORS = {
    "foundations": ["NI-E1", "IL-E1", "GC-E1", "GR-E1"],
    "curriculum-integration": ["IL-J1", "GC-J2", "GR-J1"],
    "international-exchange": ["NI-J2", "IL-J2", "IL-U2"],
    "school-internationalisation": ["NI-U2", "GC-U2"],
    "professional-growth": ["GC-U1", "GR-U2"],
}


def _align(pages, slug):
    """Both language versions of a course carry the indicators; the default-language one is what certificates read."""
    indicators = list(
        Indicator.objects.filter(area__framework__slug=COMPETENCY_FRAMEWORK, code__in=COURSE_INDICATORS.get(slug, ()))
        .citable()
        .order_by("-area__framework__version")
    )
    for page in pages.values():
        page.competency_indicators.set(indicators)
        page.save()


@transaction.atomic
def load(stdout):
    homes = home_pages()
    trainer = User.objects.filter(email=TRAINER).first()
    teacher = User.objects.filter(email=TEACHER).first()
    packages = load_demo_packages(trainer)
    packages[SCORM_DEMO] = _demo_scorm_package(trainer)
    catalogue = ensure_page(homes, CourseIndexPage, "courses", CATALOGUE)

    courses = {}
    for slug, area, level, hours, prerequisite, zh, en, modules in COURSES:
        common = {"competency_area": area, "level": level, "study_hours": hours}
        pages = ensure_page(
            catalogue,
            CoursePage,
            slug,
            {
                "zh-hant": {"title": zh[0], "summary": zh[1], **common},
                "en": {"title": en[0], "summary": en[1], **common},
            },
        )
        course = pages["zh-hant"]
        if trainer is not None:
            course.trainers.set([trainer])
        if prerequisite:
            course.prerequisites.set([courses[prerequisite]["zh-hant"]])
        course.save()
        _align(pages, slug)
        courses[slug] = pages
        for module_slug, module_zh, module_en, quiz, rule in modules:
            package = packages.get(quiz) if quiz else None
            common = {"completion_rule": rule if package else "viewed", "pass_mark": 60, "estimated_minutes": 20}
            ensure_page(
                pages,
                ModulePage,
                module_slug,
                {
                    "zh-hant": {"title": module_zh[0], "body": _module_body(module_zh[1], package, ""), **common},
                    "en": {"title": module_en[0], "body": _module_body(module_en[1], package, ""), **common},
                },
            )

    workshop_index = ensure_page(homes, WorkshopIndexPage, "workshops", WORKSHOP_INDEX)
    workshops = {}
    for slug, course_slug, days, hours, capacity, place, link, zh, en in WORKSHOPS:
        starts, ends = _workshop_times(days)
        common = {
            "starts_at": starts,
            "ends_at": ends,
            "hours": hours,
            "capacity": capacity,
            "place": place,
            "online_url": link,
        }
        parent = courses[course_slug] if course_slug else workshop_index
        workshops[slug] = ensure_page(
            parent,
            WorkshopPage,
            slug,
            {
                "zh-hant": {"title": zh[0], "summary": zh[1], **common},
                "en": {"title": en[0], "summary": en[1], **common},
            },
        )["zh-hant"]

    if teacher is not None:
        _teacher_progress(teacher, trainer, courses, workshops)
    stdout.write(
        f"Courses: {len(COURSES)} courses, {sum(len(c[-1]) for c in COURSES)} modules, {len(WORKSHOPS)} workshops, "
        f"{len(packages)} H5P packages."
    )


def _teacher_progress(teacher, trainer, courses, workshops):
    """The demo teacher has completed the two Beginner courses (which earned the certificate they hold), started
    the others, and attended a workshop: 15 hours, so the dashboard shows the Beginner requirements met."""
    for slug in ("foundations", "curriculum-integration"):
        enrol(teacher, courses[slug]["zh-hant"])
        for module in courses[slug]["zh-hant"].modules():
            record_view(teacher, module)
    # Enrolled after completing the foundations course, which the exchange course requires.
    for slug in ("professional-growth", "international-exchange"):
        enrol(teacher, courses[slug]["zh-hant"])
    first = courses["professional-growth"]["zh-hant"].modules().first()
    record_view(teacher, first)
    past = workshops["school-internationalisation-taichung"]
    record_attendance(past.session, teacher, Attendance.Method.LIST, by=trainer)
    upcoming = workshops["curriculum-workshop-taipei"]
    register(upcoming.session, teacher)
