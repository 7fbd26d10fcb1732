"""The filters every chart and export accepts: a date range, a programme, a county/city and a school level."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from accounts.choices import County, SchoolLevel
from certification.models import CertificationProgramme
from courses.models import CoursePage

# Long enough for a decade of Ministry statistics, short enough that a monthly axis stays readable.
MAXIMUM_RANGE_DAYS = 366 * 10
EARLIEST = datetime.date(2000, 1, 1)
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class ReportFilters:
    """Validated filters; ``start`` and ``end`` are aware datetimes, ``end`` exclusive (the day after ``last_day``)."""

    first_day: datetime.date
    last_day: datetime.date
    programme: CertificationProgramme | None = None
    county: str = ""
    school_level: str = ""
    course: CoursePage | None = None

    @property
    def start(self) -> datetime.datetime:
        return start_of(self.first_day)

    @property
    def end(self) -> datetime.datetime:
        return start_of(self.last_day + datetime.timedelta(days=1))

    def months(self) -> list[datetime.date]:
        """The first day of every month the range touches, in order."""
        months = []
        month = self.first_day.replace(day=1)
        while month <= self.last_day:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    def as_data(self) -> dict[str, str]:
        """The filters as the form's data, leaving out what is not chosen: for a link, or for a task to validate."""
        values = {
            "date_from": self.first_day.isoformat(),
            "date_to": self.last_day.isoformat(),
            "programme": self.programme.pk if self.programme else "",
            "county": self.county,
            "school_level": self.school_level,
            "course": self.course.pk if self.course else "",
        }
        return {key: str(value) for key, value in values.items() if value}

    def query_string(self) -> str:
        return urlencode(self.as_data())


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def default_first_day(today: datetime.date) -> datetime.date:
    """The first day of the month ``DEFAULT_MONTHS - 1`` months ago: a year of whole months up to today."""
    month = today.month - (DEFAULT_MONTHS - 1)
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=CertificationProgramme.objects.all(), required=False, empty_label=_("All")
    )
    county = forms.ChoiceField(label=_("County/city"), choices=[("", _("All")), *County.choices], required=False)
    school_level = forms.ChoiceField(
        label=_("School level"), choices=[("", _("All")), *SchoolLevel.choices], required=False
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("The course with the most enrolments"),
        help_text=_("For the chart of where learners stop."),
    )

    def __init__(self, data=None, *, scope, today=None, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today or timezone.localdate()
        # Enrolments and progress are recorded against the default-language page of a course.
        self.fields["course"].queryset = scope.courses().filter(locale=Locale.get_default()).order_by("title")
        self.fields["course"].label_from_instance = lambda course: course.title
        if not scope.sees_certificates:
            self.fields["programme"].help_text = _("Narrows the courses to those the programme requires.")

    def clean(self):
        cleaned = super().clean()
        last_day = cleaned.get("date_to") or self.today
        first_day = cleaned.get("date_from") or default_first_day(last_day)
        if self.errors:
            return cleaned
        if first_day < EARLIEST or last_day < EARLIEST:
            raise forms.ValidationError(_("Choose dates from 2000 onwards."), code="too_early")
        if first_day > last_day:
            raise forms.ValidationError(_("The start of the date range must not be after its end."), code="reversed")
        if (last_day - first_day).days > MAXIMUM_RANGE_DAYS:
            raise forms.ValidationError(_("Choose a date range of at most ten years."), code="too_long")
        cleaned["date_from"], cleaned["date_to"] = first_day, last_day
        return cleaned

    def filters(self) -> ReportFilters:
        """The validated filters; call after ``is_valid()`` returned True."""
        data = self.cleaned_data
        return ReportFilters(
            first_day=data["date_from"],
            last_day=data["date_to"],
            programme=data["programme"],
            county=data["county"],
            school_level=data["school_level"],
            course=data["course"],
        )
