from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand, CommandError

from certification.documents import pkcs11_key
from certification.documents.pki import (
    ORGANISATION,
    SigningKeyUnavailable,
    development_pki_enabled,
    ensure_development_pki,
    issue_development_signing_certificate,
)


class Command(BaseCommand):
    # The signing-key checks would refuse to run before the key exists, which is what this command makes.
    requires_system_checks = []
    help = (
        "Install the certificate-signing key in the configured PKCS#11 module (CERTIFICATE_PKCS11_*, PIN from "
        "CERTIFICATE_PKCS11_PIN): generate it on the device, write its certificate request, import the CA's "
        "certificate. See docs/certificates.md."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        generate = actions.add_parser("generate", help="generate the key pair inside the token (never extractable)")
        generate.add_argument("--type", choices=("ec", "rsa"), default="ec", help="ECDSA P-256 (default) or RSA-3072")
        request = actions.add_parser("request", help="write a PKCS#10 certificate request signed on the token")
        request.add_argument("--common-name", required=True, help="e.g. 'IE Academy Certificate Signing 2027'")
        request.add_argument("--organisation", default=ORGANISATION)
        request.add_argument("--country", default="TW")
        request.add_argument("--output", type=Path, help="file to write (default: standard output)")
        install = actions.add_parser("import-certificate", help="store the CA's certificate beside the key")
        install.add_argument("certificate", type=Path, help="PEM or DER file from the CA")
        install.add_argument("--replace", action="store_true", help="replace the certificate already on the token")
        development = actions.add_parser(
            "development-certificate",
            help="development only: the development CA certifies the token's key, and the certificate is imported",
        )
        development.add_argument("--replace", action="store_true", help="replace the certificate already on the token")

    def handle(self, *args, action, **options):
        try:
            configuration = pkcs11_key.token_configuration()
            if configuration is None:
                raise CommandError(
                    "Set CERTIFICATE_PKCS11_MODULE, CERTIFICATE_PKCS11_TOKEN_LABEL and CERTIFICATE_PKCS11_KEY_LABEL "
                    "(and CERTIFICATE_PKCS11_PIN in the environment) first."
                )
            if action == "generate":
                pkcs11_key.generate_signing_key(configuration, options["type"])
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Generated the {options['type'].upper()} key {configuration.key_label!r} inside token "
                        f"{configuration.token_label!r} (sensitive, not extractable). Next: request."
                    )
                )
            elif action == "request":
                subject = {
                    "country_name": options["country"],
                    "organization_name": options["organisation"],
                    "common_name": options["common_name"],
                }
                pem = pkcs11_key.certificate_request(configuration, subject)
                if options["output"]:
                    options["output"].write_bytes(pem)
                    self.stdout.write(self.style.SUCCESS(f"Wrote the certificate request to {options['output']}."))
                else:
                    self.stdout.write(pem.decode(), ending="")
            else:
                if action == "import-certificate":
                    certificate = pkcs11_key.read_certificate(options["certificate"])
                else:
                    certificate = self.development_certificate(configuration)
                certificate = pkcs11_key.import_certificate(configuration, certificate, options["replace"])
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Stored {certificate.subject.human_friendly} on token {configuration.token_label!r} as "
                        f"{configuration.certificate_label!r}; `manage.py check --deploy` confirms the key signs."
                    )
                )
        except SigningKeyUnavailable as error:
            raise CommandError(str(error)) from error

    def development_certificate(self, configuration) -> asn1_x509.Certificate:
        if not development_pki_enabled():
            raise CommandError(
                "The development CA certifies keys only with the development PKI (DEBUG or "
                "CERTIFICATE_DEVELOPMENT_PKI); in production use request and import-certificate."
            )
        ensure_development_pki()
        certificate = issue_development_signing_certificate(pkcs11_key.token_public_key(configuration))
        return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
