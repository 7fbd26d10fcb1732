from django.core.management.base import BaseCommand, CommandError

from lms.scale import FULL_SIZE, SeedRefused, seed


class Command(BaseCommand):
    help = (
        "Build the national-scale data set of issue 8 (200,000 teachers, 2,000,000 module-progress rows, "
        "300,000 certificates …) into an empty database; --scale 0.001 builds a thousandth of it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Fraction of the national size (default 1).")

    def handle(self, *args, scale, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale is a fraction between 0 (excluded) and 1.")
        try:
            counts, seconds = seed(scale, self.stderr._out)
        except SeedRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        for name in FULL_SIZE:
            self.stdout.write(f"{name}: {counts[name]:,}")
        self.stdout.write(self.style.SUCCESS(f"Seeded at scale {scale:g} in {seconds:.1f} s."))
