"""System checks of the certificate-signing key in a PKCS#11 module.

Two levels, so that a token that is briefly away (a card pulled out, an HSM restarting) does not stop every
management command, the task worker included:

- always (``manage.py check``, and before ``migrate``, ``runserver``, the task worker): the configuration is whole,
  the PIN is in the environment and the module file exists; nothing touches the device;
- with ``manage.py check --deploy``: the process's signing session is opened as the first certificate would open it
  (the PIN is presented at most once), so a missing token or key, a refused PIN or a certificate that does not fit
  the key is reported, and an extractable key or an expiring certificate is warned of.
"""

import datetime

from django.core.checks import Error, Warning, register

from .pkcs11_key import TokenConfiguration, require_module_file, signing_key_extractable, token_configuration
from .pki import SigningKeyUnavailable
from .signing import platform_signer

EXPIRY_WARNING = datetime.timedelta(days=60)
HINT = "See docs/certificates.md, 'A key in a PKCS#11 module'."


@register("certification")
def pkcs11_configuration_check(app_configs, **kwargs):
    return _configuration()[1]


@register("certification", deploy=True)
def pkcs11_signing_key_check(app_configs, **kwargs):
    configuration, errors = _configuration()
    if configuration is None or errors:
        return []  # nothing configured, or the configuration check reports it
    try:
        token_key = platform_signer().signer.token_key
    except SigningKeyUnavailable as error:
        return [Error(str(error), hint=HINT, id="certification.E003")]
    problems = []
    if signing_key_extractable(token_key):
        problems.append(
            Warning(
                f"The signing key {token_key.configuration.key_label!r} is extractable: the module would hand it out "
                "wrapped under another key.",
                hint="Generate the signing key with CKA_EXTRACTABLE false; back it up with the HSM's own cloning.",
                id="certification.W001",
            )
        )
    not_after = token_key.certificate.not_valid_after
    subject = token_key.certificate.subject.human_friendly
    now = datetime.datetime.now(datetime.UTC)
    if not_after <= now:
        problems.append(
            Error(
                f"The signer certificate {subject} expired on {not_after:%Y-%m-%d}.",
                hint="Install the renewed certificate on the token (docs/certificates.md, 'Backup and rotation').",
                id="certification.E002",
            )
        )
    elif not_after - now < EXPIRY_WARNING:
        problems.append(
            Warning(
                f"The signer certificate {subject} expires on {not_after:%Y-%m-%d}.",
                hint="Renew it now (docs/certificates.md, 'Backup and rotation').",
                id="certification.W002",
            )
        )
    return problems


def _configuration() -> tuple[TokenConfiguration | None, list[Error]]:
    try:
        configuration = token_configuration()
        if configuration is not None:
            require_module_file(configuration.module)
    except SigningKeyUnavailable as error:
        return None, [Error(str(error), hint=HINT, id="certification.E001")]
    return configuration, []
