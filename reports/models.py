from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """No table: the owner of the two permissions that open the reports, granted to groups like any other."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_all_reports", _("Can see the reports on every course, session and certificate")),
            ("view_course_reports", _("Can see the reports on the courses they train")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)
