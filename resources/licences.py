"""The Creative Commons licences an author may choose, with their deed links and citation wording."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0 International (CC BY 4.0)")
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)")
    CC_BY_ND = "cc-by-nd-4.0", _("Creative Commons Attribution-NoDerivatives 4.0 International (CC BY-ND 4.0)")
    CC_BY_NC = "cc-by-nc-4.0", _("Creative Commons Attribution-NonCommercial 4.0 International (CC BY-NC 4.0)")
    CC_BY_NC_SA = (
        "cc-by-nc-sa-4.0",
        _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International (CC BY-NC-SA 4.0)"),
    )
    CC_BY_NC_ND = (
        "cc-by-nc-nd-4.0",
        _("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International (CC BY-NC-ND 4.0)"),
    )
    CC0 = "cc0-1.0", _("CC0 1.0 Universal (public domain dedication)")


@dataclass(frozen=True)
class LicenceTerms:
    short_name: str
    url: str


def terms(licence: str) -> LicenceTerms:
    """The short name and the deed URL of ``licence`` (one of :class:`Licence`)."""
    if licence == Licence.CC0:
        return LicenceTerms("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
    # "cc-by-nc-sa-4.0" → "CC BY-NC-SA 4.0", https://creativecommons.org/licenses/by-nc-sa/4.0/
    elements = licence.removeprefix("cc-").removesuffix("-4.0")
    return LicenceTerms(f"CC {elements.upper()} 4.0", f"https://creativecommons.org/licenses/{elements}/4.0/")
