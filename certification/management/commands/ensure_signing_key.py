from django.core.management.base import BaseCommand

from certification.documents.pki import ensure_development_pki, pki_root


class Command(BaseCommand):
    help = (
        "Create the development CA, certificate-signing PKCS#12 and Open Badges key under PKI_ROOT if they are "
        "missing. Idempotent: existing keys are never replaced."
    )

    def handle(self, *args, **options):
        pki = ensure_development_pki()
        if pki.created:
            self.stdout.write(self.style.SUCCESS(f"Created in {pki_root()}: {', '.join(pki.created)}"))
        else:
            self.stdout.write(f"The signing keys in {pki_root()} already exist; nothing changed.")
