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
            counts, steps = seed(scale, self.stderr._out)
        except SeedRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        for name in FULL_SIZE:
            self.stdout.write(f"{name}: {counts[name]:,}")
        self.stdout.write(f"\n{'step':<40} {'rows':>10} {'time s':>8} {'rows/s':>8} {'CPU py s':>9} {'CPU pg s':>9}")
        for step in steps:
            rows = f"{step.rows:,}" if step.rows else ""
            rate = f"{step.rows / step.seconds:,.0f}" if step.rows and step.seconds else ""
            database = "" if step.database_cpu_seconds is None else f"{step.database_cpu_seconds:.1f}"
            self.stdout.write(
                f"{step.label:<40} {rows:>10} {step.seconds:>8.1f} {rate:>8} {step.cpu_seconds:>9.1f} {database:>9}"
            )
        seconds = sum(step.seconds for step in steps)
        cpu = sum(step.cpu_seconds for step in steps)
        database_steps = [step.database_cpu_seconds for step in steps if step.database_cpu_seconds is not None]
        database = f"{sum(database_steps):.1f}" if database_steps else ""
        self.stdout.write(f"{'total':<40} {'':>10} {seconds:>8.1f} {'':>8} {cpu:>9.1f} {database:>9}")
        self.stdout.write(self.style.SUCCESS(f"Seeded at scale {scale:g} in {seconds:.1f} s."))
