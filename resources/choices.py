"""The controlled bilingual vocabularies a teaching resource is described with."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    LESSON_PLAN = "lesson_plan", _("Lesson plan")
    SLIDES = "slides", _("Slides")
    WORKSHEET = "worksheet", _("Worksheet")
    READING = "reading", _("Reading")
    LINK = "link", _("Link")
    VIDEO = "video", _("Video")


class SubjectDomain(models.TextChoices):
    """The learning domains (領域) of the 12-year basic education curriculum, plus its cross-domain courses."""

    LANGUAGES = "languages", _("Languages")
    MATHEMATICS = "mathematics", _("Mathematics")
    SOCIAL_STUDIES = "social_studies", _("Social studies")
    NATURAL_SCIENCES = "natural_sciences", _("Natural sciences")
    ARTS = "arts", _("Arts")
    INTEGRATIVE_ACTIVITIES = "integrative_activities", _("Integrative activities")
    TECHNOLOGY = "technology", _("Technology")
    HEALTH_PE = "health_pe", _("Health and physical education")
    LIFE_CURRICULUM = "life_curriculum", _("Life curriculum")
    PROFESSIONAL = "professional", _("Professional and practical subjects")
    CROSS_DOMAIN = "cross_domain", _("Cross-domain and flexible learning")


class Theme(models.TextChoices):
    """The themes of international education in the white paper."""

    GLOBAL_CITIZENSHIP = "global_citizenship", _("Global citizenship")
    INTERCULTURAL = "intercultural", _("Intercultural understanding")
    SUSTAINABILITY = "sustainability", _("Sustainable development goals")
    EXCHANGE = "exchange", _("International exchange and sister schools")
    GLOBAL_ISSUES = "global_issues", _("Global issues")
    LOCAL_GLOBAL = "local_global", _("Local identity in a global world")
    HUMAN_RIGHTS = "human_rights", _("Human rights and peace")


class ResourceLanguage(models.TextChoices):
    MANDARIN = "zh", _("Mandarin Chinese")
    ENGLISH = "en", _("English")
    BILINGUAL = "zh_en", _("Mandarin and English")
    OTHER = "other", _("Another language")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
