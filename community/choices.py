"""Controlled bilingual vocabularies of the community networks and the expert directory."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.choices import CompetencyArea


class ExpertiseArea(models.TextChoices):
    """The course competency areas, with the same codes and labels, plus the topics experts are asked about."""

    CONCEPTS = CompetencyArea.CONCEPTS.value, CompetencyArea.CONCEPTS.label
    CURRICULUM = CompetencyArea.CURRICULUM.value, CompetencyArea.CURRICULUM.label
    EXCHANGE = CompetencyArea.EXCHANGE.value, CompetencyArea.EXCHANGE.label
    SCHOOL = CompetencyArea.SCHOOL.value, CompetencyArea.SCHOOL.label
    GROWTH = CompetencyArea.GROWTH.value, CompetencyArea.GROWTH.label
    GLOBAL_CITIZENSHIP = "global_citizenship", _("Global citizenship")
    INTERCULTURAL = "intercultural", _("Intercultural communication")
    FOREIGN_LANGUAGE = "foreign_language", _("Foreign-language teaching")
    STUDY_VISITS = "study_visits", _("Overseas study visits")
    SISTER_SCHOOL = "sister_school", _("Sister-school exchange")


class Language(models.TextChoices):
    MANDARIN = "zh", _("Mandarin Chinese")
    ENGLISH = "en", _("English")
    TAIWANESE = "nan", _("Taiwanese Hokkien")
    HAKKA = "hak", _("Hakka")
    INDIGENOUS = "indigenous", _("Indigenous languages of Taiwan")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    VIETNAMESE = "vi", _("Vietnamese")
    INDONESIAN = "id", _("Indonesian")
    THAI = "th", _("Thai")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SPANISH = "es", _("Spanish")


class Availability(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    MENTOR = "mentor", _("Mentor")
    CONSULTANT = "consultant", _("Consultant")
