from pathlib import Path

from django.core.management.base import BaseCommand

from courses.h5p.demo import demo_packages, load_demo_packages


class Command(BaseCommand):
    help = "Build the demo .h5p packages from our own IEA.Quiz library; write them to a folder or upload them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="var/h5p-demo", help="Folder for the .h5p files (default: %(default)s)."
        )
        parser.add_argument(
            "--upload", action="store_true", help="Also upload them as H5P packages (unchanged ones are kept)."
        )

    def handle(self, *args, output, upload, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for package in demo_packages():
            (folder / package.filename).write_bytes(package.data)
            self.stdout.write(f"{folder / package.filename}  {len(package.data):,} bytes  {package.title}")
        if upload:
            for filename, package in load_demo_packages().items():
                self.stdout.write(f"uploaded {filename} as H5P package #{package.pk} ({package.storage_prefix})")
