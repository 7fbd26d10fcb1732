"""The parts of a person's data whose apps sit below this one (accounts, notifications, audit) and this app's own.

The account part erases last (``order``): it leaves the account's erased remainder, which issued certificates hold
on to, with no name, no e-mail, no password, no groups and no way to sign in.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.utils.translation import gettext_lazy as _
from wagtail.users.models import UserProfile

from accounts.models import ERASED_EMAIL_DOMAIN, PolicyConsent, TeacherProfile
from audit.models import AuditEntry
from notifications.models import Notification, Preference

from .models import DataExport, SignIn
from .registry import Part, register
from .tables import delete_rows, table


def _version(consent):
    return {"version_number": consent.version.version}


def export_account(user):
    yield table("account", type(user).objects.filter(pk=user.pk), user, exclude=("password",))
    yield table("profile", TeacherProfile.objects.filter(user=user), user)
    yield table("site_preferences", UserProfile.objects.filter(user=user), user)
    yield table("email_addresses", EmailAddress.objects.filter(user=user), user)
    yield table("linked_sign_in_accounts", SocialAccount.objects.filter(user=user), user)
    # What kind of second factor and when it was used; never its secret.
    yield table("authenticators", Authenticator.objects.filter(user=user), user, exclude=("data",))
    yield table("consents", PolicyConsent.objects.filter(user=user).select_related("version"), user, extra=_version)
    yield table("sign_ins", SignIn.objects.filter(user=user), user)
    yield table("data_exports", DataExport.objects.filter(user=user), user, exclude=("file",))


def erase_account(user):
    for export in DataExport.objects.filter(user=user).exclude(file=""):
        export.file.delete(save=False)
    for preferences in UserProfile.objects.filter(user=user).exclude(avatar=""):
        preferences.avatar.delete(save=False)
    counts = delete_rows(
        TeacherProfile.objects.filter(user=user),
        UserProfile.objects.filter(user=user),
        EmailAddress.objects.filter(user=user),
        SocialAccount.objects.filter(user=user),
        Authenticator.objects.filter(user=user),
        PolicyConsent.objects.filter(user=user),
        SignIn.objects.filter(user=user),
        DataExport.objects.filter(user=user),
    )
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"erased-{user.pk}"
    user.email = f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    # A new password hash also ends every session the account had: Django checks it on each request.
    user.set_unusable_password()
    user.save()
    counts["accounts.User (erased)"] = 1
    return counts


def _without_actor(notification):
    # Who replied or mentioned the person is someone else's name; the rest of what they were told is theirs.
    return {"context": {key: value for key, value in notification.context.items() if key != "actor"}}


def export_notifications(user):
    yield table(
        "notifications",
        Notification.objects.filter(recipient=user),
        user,
        exclude=("email_subject", "email_body"),
        extra=_without_actor,
    )
    yield table("preferences", Preference.objects.filter(user=user), user)


def erase_notifications(user):
    return delete_rows(Notification.objects.filter(recipient=user), Preference.objects.filter(user=user))


def export_audit(user):
    entries = AuditEntry.objects.filter(actor=user).order_by("pk")
    yield table("my_recorded_actions", entries, user, exclude=("actor_label", "target_type", "target_id", "changes"))


def erase_audit(user):
    return {}


register(
    Part(
        app="accounts",
        export=export_account,
        erase=erase_account,
        kept=_(
            "An erased remainder of your account, with no name, e-mail address or password, so that your "
            "certificates keep a holder; it can never sign in again. Your profile, e-mail addresses, linked "
            "sign-in accounts, authenticators, consents and sign-in history are deleted."
        ),
        order=1000,
    )
)
register(
    Part(
        app="notifications",
        export=export_notifications,
        erase=erase_notifications,
        kept=_("Nothing of your notifications: they and your e-mail preferences are deleted."),
    )
)
register(
    Part(
        app="audit",
        export=export_audit,
        erase=erase_audit,
        kept=_(
            "The audit trail of privileged actions, which nobody can change or delete, keeps its entries as they "
            "were written, including your requests for a copy of your data and this deletion: it is how the "
            "registry shows afterwards who did what to a certificate or an account."
        ),
    )
)
