"""Benchmark 1 of issue 8: one certificate through render + sign (PAdES-B-B) + store + write the row, in one process.

Usage (from the repository root):

    .venv/bin/python benchmarks/certificate_pipeline.py                 # 300 certificates, prints the figures
    .venv/bin/python benchmarks/certificate_pipeline.py --long-term     # and the same run again signing B-LT
    .venv/bin/python benchmarks/certificate_pipeline.py --profile       # the whole pipeline under pyinstrument
    .venv/bin/python benchmarks/certificate_pipeline.py --pkcs11        # also through PKCS#11 (SoftHSM2), with ratios
    .venv/bin/python benchmarks/certificate_pipeline.py --queued        # tasks queued as in production, not run inline
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench_pipeline .venv/bin/python benchmarks/...  # PostgreSQL

Every certificate is different (name, serial, verification URL), has a logo and two signatories with seal
images, as real ones do. Keys live in a temporary PKI made for the run, files in a temporary media folder. The
figures are per certificate: wall time and CPU time of the process (CPU time is steadier when other work shares
the machine).

The whole pipeline is the issuing code's own :func:`certification.registry.issuing.complete_certificate` on pending
certificates made for the run (their serials and rows are written before the clock starts, as the issuing
transaction does): snapshot from the row, render, sign, store the file, mark the row issued with its audit log
entry, and the e-mail to the holder (in memory). The tests' settings run every task at once, so the holder's
notification e-mail (its own task in production) is sent inside the pipeline; with ``--queued`` tasks go to the
database queue as they do under the production settings, and the pipeline is what the issuing worker itself does.
The database is ``DATABASE_URL`` or, without it, an SQLite file
``var/benchmark-pipeline.sqlite3`` kept between runs (migrated on the first, which takes a minute or two).

:func:`measure` times any per-certificate step, so the issuing code can time the whole pipeline (render, sign,
store, write the row) with the same method::

    from benchmarks.certificate_pipeline import measure, sample_snapshots
    figures = measure(issue_one, sample_snapshots(300, images_folder))
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
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
    from certification.documents.snapshot import CertificateSnapshot

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
                ("林大華", "Lin Ta-Hua", "執行長", "Executive Director", seal),
                ("陳美玲", "Chen Mei-Ling", "課程主任", "Programme Director", signature),
            ),
            logo=logo,
        )


def benchmark_programme(slug: str):
    """An inactive programme of the benchmark's own, issued by an administrator (nobody becomes eligible)."""
    from certification.models import CertificationProgramme

    return CertificationProgramme.objects.create(
        slug=slug,
        name_zh="國際教育專業知能認證（初階）",
        name_en="International Education Professional Competency (Beginner)",
        certificate_title_zh="國際教育專業知能證書",
        certificate_title_en="Certificate of International Education Competency",
        issue_mode=CertificationProgramme.IssueMode.APPROVAL,
        is_active=False,
    )


def pending_certificates(count: int, images_folder: Path) -> tuple[list[int], object]:
    """``count`` pending certificates of a programme made for the run, and organisation settings with a logo."""
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image

    from accounts.models import TeacherProfile, User
    from certification.models import Certificate
    from certification.registry.issuing import issue_certificate
    from home.models import OrganisationSettings

    logo, seal, signature = sample_images(images_folder)
    with logo.open("rb") as file:
        image = Image.objects.create(title="Benchmark logo", file=ImageFile(file, name="benchmark-logo.png"))
    organisation_settings = OrganisationSettings(name_zh="國際教育專業知能認證平臺", name_en="IE Academy", logo=image)
    stamp = time.time_ns()
    programme = benchmark_programme(f"pipeline-benchmark-{stamp}")
    signatories = (
        ("林大華", "Lin Ta-Hua", "執行長", "Executive Director", seal),
        ("陳美玲", "Chen Mei-Ling", "課程主任", "Programme Director", signature),
    )
    for name_zh, name_en, title_zh, title_en, path in signatories:
        with path.open("rb") as file:
            programme.signatories.create(
                name_zh=name_zh,
                name_en=name_en,
                title_zh=title_zh,
                title_en=title_en,
                image=ImageFile(file, name=path.name),
            )
    # Read again: the cluster's in-memory signatories still hold the image files closed above.
    programme = type(programme).objects.get(pk=programme.pk)
    surnames, given = "王李張劉陳楊黃趙吳周", "小明美玲志豪淑芬家豪怡君冠宇雅婷"
    users = User.objects.bulk_create(
        User(username=f"pipeline-{stamp}-{number}", email=f"pipeline-{stamp}-{number}@benchmark.invalid")
        for number in range(count)
    )
    TeacherProfile.objects.bulk_create(
        TeacherProfile(
            user=user,
            name_zh=surnames[number % 10] + given[(number * 2) % 16 : (number * 2) % 16 + 2],
            name_en=f"Teacher Number {number}",
            school="臺北市立建國高級中學",
        )
        for number, user in enumerate(users)
    )
    ids = [issue_certificate(user, programme, origin=Certificate.Origin.BULK, render_later=False).pk for user in users]
    return ids, organisation_settings


def pkcs11_figures(folder: Path, rendered: list[bytes], whole_pipeline: Callable, certificates: list[int]):
    """Sign, and run the whole pipeline, through PKCS#11 with the keys of a SoftHSM2 token made for the run.

    The token is the tests' (``tests/certification/softhsm.py``): keys generated inside it, non-extractable, their
    certificates from the run's development CA. Returns the figures of sign (P-256), sign (RSA-2048), pipeline.
    """
    from django.test import override_settings

    from certification.documents.pki import pki_root
    from certification.documents.signing import sign_certificate_pdf
    from tests.certification.softhsm import EC_KEY, RSA_KEY, initialise_token

    (folder / "softhsm").mkdir()
    token = initialise_token(folder / "softhsm", pki_root())
    os.environ["CERTIFICATE_PKCS11_PIN"] = token.user_pin
    on_token = {"CERTIFICATE_PKCS11_MODULE": token.module, "CERTIFICATE_PKCS11_TOKEN_LABEL": token.label}
    with override_settings(**on_token, CERTIFICATE_PKCS11_KEY_LABEL=EC_KEY):
        ec_sign = measure(sign_certificate_pdf, rendered)
        pipeline = measure(whole_pipeline, certificates)
    rsa_certificate = str(token.rsa_certificate_file)
    with override_settings(
        **on_token, CERTIFICATE_PKCS11_KEY_LABEL=RSA_KEY, CERTIFICATE_PKCS11_CERTIFICATE=rsa_certificate
    ):
        rsa_sign = measure(sign_certificate_pdf, rendered)
    return ec_sign, rsa_sign, pipeline


def _serve_test_pki(folder: Path, passphrase: str | None, answers) -> None:
    from tests.certification.ltv.pki import start_test_pki

    pki = start_test_pki(folder, passphrase)
    answers.put((pki.tsa_url, str(pki.signer_p12), str(pki.root_pem)))
    threading.Event().wait()


def long_term_rows(count: int, folder: Path, rendered: list[bytes], whole_pipeline) -> list[str]:
    """Sign with a TSA and then with a signer that publishes OCSP and CRL, against the tests' certomancer PKI, run
    in a process of its own so that the CPU column holds only our side's work (as with a real TSA and CA)."""
    from django.conf import settings

    from certification.documents.long_term import add_archival_timestamp
    from certification.documents.pki import signing_passphrase
    from certification.documents.signing import sign_certificate_pdf

    pki_folder = folder / "certomancer"
    pki_folder.mkdir()
    passphrase = signing_passphrase()
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    server = context.Process(
        target=_serve_test_pki, args=(pki_folder, passphrase.decode() if passphrase else None, answers), daemon=True
    )
    server.start()
    tsa_url, signer_p12, root_pem = answers.get(timeout=300)
    settings.CERTIFICATE_TSA_URL = tsa_url
    rows = [measure(sign_certificate_pdf, rendered).row("sign, B-T (development signer + TSA)")]
    settings.CERTIFICATE_SIGNING_P12 = signer_p12
    settings.CERTIFICATE_TRUST_ROOT = root_pem
    assert sign_certificate_pdf(rendered[0]).pades_level == "B-LT"
    rows.append(measure(sign_certificate_pdf, rendered).row("sign, B-LT (+ OCSP, CRL, DSS)"))
    signed = [sign_certificate_pdf(pdf).data for pdf in rendered[: count // 3 + 10]]
    rows.append(measure(add_archival_timestamp, signed).row("archival timestamp, B-LTA (scheduled command)"))
    certificates, _settings = pending_certificates(count + 10, folder)
    rows.append(measure(whole_pipeline, certificates).row("**render + sign B-LT + store + row**"))
    server.terminate()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="certificates to time (after 10 for warm-up)")
    parser.add_argument("--profile", action="store_true", help="profile the whole pipeline with pyinstrument instead")
    parser.add_argument(
        "--pkcs11",
        action="store_true",
        help="also sign through PKCS#11 with keys generated inside a SoftHSM2 token made for the run",
    )
    parser.add_argument("--long-term", action="store_true", help="also time B-T, B-LT and the archival timestamp")
    parser.add_argument(
        "--queued",
        action="store_true",
        help="queue tasks in the database as production does (the holder's e-mail is then another task's work)",
    )
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        os.environ["PKI_ROOT"] = str(Path(folder) / "pki")
        os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'benchmark-pipeline.sqlite3'}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
        sys.path.insert(0, str(BASE_DIR))
        (BASE_DIR / "var").mkdir(exist_ok=True)
        import django

        if arguments.queued:
            from django.conf import settings

            settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        django.setup()
        from django.core.management import call_command

        from certification.documents.pki import ensure_development_pki
        from certification.documents.rendering import render_certificate_pdf
        from certification.documents.signing import sign_certificate_pdf
        from certification.registry.issuing import complete_certificate

        call_command("migrate", verbosity=0)
        ensure_development_pki()
        batches = 2 if arguments.pkcs11 else 1
        certificates, organisation_settings = pending_certificates(batches * (arguments.count + 10), Path(folder))

        def whole_pipeline(certificate_id):
            return complete_certificate(certificate_id, organisation_settings=organisation_settings)

        if arguments.profile:
            from pyinstrument import Profiler

            with Profiler(interval=0.0002) as profiler:
                for certificate_id in certificates:
                    whole_pipeline(certificate_id)
            sys.stdout.write(profiler.output_text(color=False))
            return

        snapshots = list(sample_snapshots(arguments.count + 10, Path(folder)))
        rendered = [render_certificate_pdf(snapshot) for snapshot in snapshots]

        def render_and_sign(snapshot):
            return sign_certificate_pdf(render_certificate_pdf(snapshot))

        from django.db import connection

        load_before = os.getloadavg()[0]
        file_sign = measure(sign_certificate_pdf, rendered)
        file_pipeline = measure(whole_pipeline, certificates[: arguments.count + 10])
        lines = [
            "| step | certificates | median ms | p90 ms | CPU median ms |",
            "| --- | ---: | ---: | ---: | ---: |",
            measure(render_certificate_pdf, snapshots).row("render"),
            file_sign.row("sign (PAdES-B-B), file key ECDSA P-256"),
            measure(render_and_sign, snapshots).row("render + sign"),
            file_pipeline.row(f"**render + sign + store + row**, file key ({connection.vendor})"),
        ]
        if arguments.pkcs11:
            token_sign, token_rsa_sign, token_pipeline = pkcs11_figures(
                Path(folder), rendered, whole_pipeline, certificates[arguments.count + 10 :]
            )
            lines += [
                token_sign.row("sign (PAdES-B-B), PKCS#11 SoftHSM2 ECDSA P-256"),
                token_rsa_sign.row("sign (PAdES-B-B), PKCS#11 SoftHSM2 RSA-2048"),
                token_pipeline.row(f"**render + sign + store + row**, PKCS#11 ECDSA P-256 ({connection.vendor})"),
                "",
                "PKCS#11 / file key, same run: sign "
                f"{token_sign.wall_median_ms / file_sign.wall_median_ms:.2f}× wall, "
                f"{token_sign.cpu_median_ms / file_sign.cpu_median_ms:.2f}× CPU; whole pipeline "
                f"{token_pipeline.wall_median_ms / file_pipeline.wall_median_ms:.2f}× wall, "
                f"{token_pipeline.cpu_median_ms / file_pipeline.cpu_median_ms:.2f}× CPU",
            ]
        # Last: it leaves the settings on the test PKI's signer and TSA.
        if arguments.long_term:
            lines += long_term_rows(arguments.count, Path(folder), rendered, whole_pipeline)
        lines += [
            "",
            f"{os.cpu_count()} CPUs, load average {load_before:.2f} at the start and "
            f"{os.getloadavg()[0]:.2f} at the end of the run; "
            + (
                "tasks queued in the database"
                if arguments.queued
                else "tasks run inline (the holder's e-mail included)"
            ),
        ]
        sys.stdout.write("\n".join(map(str, lines)) + "\n")


if __name__ == "__main__":
    main()
