"""Who holds staff powers. Outside the admin too, they need the second factor the admin asks for."""

from .two_factor import has_two_factors


def has_staff_access(user):
    """Whether ``user`` may act as staff: a staff account protected by multi-factor authentication.

    A staff password alone must not open learners' data anywhere, not only in the admin.
    """
    return bool(user.is_authenticated and user.is_staff and has_two_factors(user))
