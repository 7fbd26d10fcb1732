"""Benchmark 1 of issue 8: one certificate through render + sign (PAdES-B-B), in one process.

Usage (from the repository root):

    .venv/bin/python benchmarks/certificate_pipeline.py                 # 300 certificates, prints the figures
    .venv/bin/python benchmarks/certificate_pipeline.py --profile       # the same under pyinstrument

Every certificate is different (name, serial, verification URL), has a logo and two signatories with seal
images, as real ones do. Keys live in a temporary PKI made for the run. The figures are per certificate: wall
time and CPU time of the process (CPU time is steadier when other work shares the machine).

:func:`measure` times any per-certificate step, so the issuing code can time the whole pipeline (render, sign,
store, write the row) with the same method::

    from benchmarks.certificate_pipeline import measure, sample_snapshots
    figures = measure(issue_one, sample_snapshots(300, images_folder))
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Figures:
    count: int
    wall_median_ms: float
    wall_p90_ms: float
    cpu_median_ms: float

    def row(self, label: str) -> str:
        times = f"{self.wall_median_ms:.1f} | {self.wall_p90_ms:.1f} | {self.cpu_median_ms:.1f}"
        return f"| {label} | {self.count} | {times} |"


def measure(step: Callable, inputs: Iterable, warmup: int = 10) -> Figures:
    """Call ``step(item)`` for every item and return median and 90th-percentile times per call.

    The first ``warmup`` items are run but not counted: they pay for loading fonts and keys, once per process.
    """
    inputs = list(inputs)
    for item in inputs[:warmup]:
        step(item)
    wall, cpu = [], []
    for item in inputs[warmup:]:
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        step(item)
        wall.append((time.perf_counter() - wall_start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    wall.sort()
    return Figures(
        count=len(wall),
        wall_median_ms=statistics.median(wall),
        wall_p90_ms=wall[int(len(wall) * 0.9)],
        cpu_median_ms=statistics.median(cpu),
    )


def sample_images(folder: Path) -> tuple[Path, Path, Path]:
    """A logo and two seal/signature images of realistic size."""
    from PIL import Image, ImageDraw

    logo = folder / "logo.png"
    image = Image.new("RGBA", (480, 240), (255, 255, 255, 0))
    ImageDraw.Draw(image).ellipse((10, 10, 230, 230), outline=(31, 58, 95, 255), width=12)
    image.save(logo)
    seals = []
    for index, colour in enumerate(((180, 20, 30, 230), (20, 20, 20, 255))):
        seal = folder / f"seal-{index}.png"
        image = Image.new("RGBA", (300, 150), (255, 255, 255, 0))
        ImageDraw.Draw(image).rectangle((20, 10, 140, 130), outline=colour, width=10)
        image.save(seal)
        seals.append(seal)
    return logo, seals[0], seals[1]


def sample_snapshots(count: int, images_folder: Path):
    """``count`` different, realistic certificate snapshots."""
    from certification.snapshot import CertificateSnapshot

    logo, seal, signature = sample_images(images_folder)
    surnames, given = "王李張劉陳楊黃趙吳周", "小明美玲志豪淑芬家豪怡君冠宇雅婷"
    for number in range(count):
        name = surnames[number % 10] + given[(number * 2) % 16 : (number * 2) % 16 + 2]
        public_id = f"{number:032x}"
        yield CertificateSnapshot(
            holder_name_zh=name,
            holder_name_en=f"Teacher Number {number}",
            school="臺北市立建國高級中學",
            county="臺北市 Taipei City",
            programme_name_zh="國際教育專業知能認證（初階）",
            programme_name_en="International Education Professional Competency (Beginner)",
            hours=Decimal("18.5"),
            courses=(
                ("國際教育概論", "Introduction to International Education"),
                ("跨文化溝通", "Intercultural Communication"),
            ),
            score=Decimal("92"),
            issued_on=date(2026, 11, 28),
            valid_until=date(2031, 11, 27),
            serial=f"IEA-2026-{number:06d}",
            verification_code="7K3M-9QXD-2HPA-R",
            public_id=public_id,
            verify_url=f"https://ie-academy.example/verify/{public_id}",
            organisation_name_zh="國際教育專業知能認證平臺",
            organisation_name_en="IE Academy",
            signatories=(
                ("林大華", "執行長 Executive Director", seal),
                ("陳美玲", "課程主任 Programme Director", signature),
            ),
            logo=logo,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="certificates to time (after 10 for warm-up)")
    parser.add_argument("--profile", action="store_true", help="profile render + sign with pyinstrument instead")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        os.environ["PKI_ROOT"] = str(Path(folder) / "pki")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
        sys.path.insert(0, str(BASE_DIR))
        import django

        django.setup()
        from certification.pki import ensure_development_pki
        from certification.rendering import render_certificate_pdf
        from certification.signing import sign_certificate_pdf

        ensure_development_pki()
        snapshots = list(sample_snapshots(arguments.count + 10, Path(folder)))
        rendered = [render_certificate_pdf(snapshot) for snapshot in snapshots]

        if arguments.profile:
            from pyinstrument import Profiler

            with Profiler(interval=0.0002) as profiler:
                for snapshot in snapshots:
                    sign_certificate_pdf(render_certificate_pdf(snapshot))
            sys.stdout.write(profiler.output_text(color=False))
            return

        def pipeline(snapshot):
            return sign_certificate_pdf(render_certificate_pdf(snapshot))

        lines = [
            "| step | certificates | median ms | p90 ms | CPU median ms |",
            "| --- | ---: | ---: | ---: | ---: |",
            measure(render_certificate_pdf, snapshots).row("render"),
            measure(sign_certificate_pdf, rendered).row("sign (PAdES-B-B)"),
            measure(pipeline, snapshots).row("render + sign"),
            "",
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end of the run",
        ]
        sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
