"""Controlled vocabularies about teachers, shared by every app that describes a teacher or a region."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolLevel(models.TextChoices):
    ELEMENTARY = "elementary", _("Elementary school")
    JUNIOR_HIGH = "junior_high", _("Junior high school")
    SENIOR_HIGH = "senior_high", _("Senior high school")
    VOCATIONAL_HIGH = "vocational_high", _("Vocational high school")


class County(models.TextChoices):
    """The 22 administrative divisions of Taiwan: 6 special municipalities, 3 cities and 13 counties."""

    TAIPEI_CITY = "taipei_city", _("Taipei City")
    NEW_TAIPEI_CITY = "new_taipei_city", _("New Taipei City")
    TAOYUAN_CITY = "taoyuan_city", _("Taoyuan City")
    TAICHUNG_CITY = "taichung_city", _("Taichung City")
    TAINAN_CITY = "tainan_city", _("Tainan City")
    KAOHSIUNG_CITY = "kaohsiung_city", _("Kaohsiung City")
    KEELUNG_CITY = "keelung_city", _("Keelung City")
    HSINCHU_CITY = "hsinchu_city", _("Hsinchu City")
    CHIAYI_CITY = "chiayi_city", _("Chiayi City")
    HSINCHU_COUNTY = "hsinchu_county", _("Hsinchu County")
    MIAOLI_COUNTY = "miaoli_county", _("Miaoli County")
    CHANGHUA_COUNTY = "changhua_county", _("Changhua County")
    NANTOU_COUNTY = "nantou_county", _("Nantou County")
    YUNLIN_COUNTY = "yunlin_county", _("Yunlin County")
    CHIAYI_COUNTY = "chiayi_county", _("Chiayi County")
    PINGTUNG_COUNTY = "pingtung_county", _("Pingtung County")
    YILAN_COUNTY = "yilan_county", _("Yilan County")
    HUALIEN_COUNTY = "hualien_county", _("Hualien County")
    TAITUNG_COUNTY = "taitung_county", _("Taitung County")
    PENGHU_COUNTY = "penghu_county", _("Penghu County")
    KINMEN_COUNTY = "kinmen_county", _("Kinmen County")
    LIENCHIANG_COUNTY = "lienchiang_county", _("Lienchiang County")
