"""A real test PKI for long-term validation: certomancer's Animator (CA certificates, CRLs, OCSP and an RFC 3161
time-stamping authority) served over HTTP on loopback by werkzeug in a thread.

The configuration is ``certomancer.yml`` beside this file; its validity dates are relative to the session's start
(the signer's certificate expires after ``SIGNER_LIFETIME``, the first TSA's after ``TSA_LIFETIME``), and its keys
are generated for the session, so nothing secret or dated is committed.
"""

import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

CONFIG = Path(__file__).with_name("certomancer.yml")
ARCHITECTURE = ArchLabel("ltv")
KEYS = ("root", "signer", "ocsp", "tsa", "tsa2")
SIGNER_LIFETIME = timedelta(days=30)
TSA_LIFETIME = timedelta(days=2 * 365)


@dataclass
class TestPki:
    """The running PKI: its URLs, the files the platform is configured with, and an outage switch."""

    url: str
    folder: Path
    architecture: object
    started: datetime
    server: object = None
    # Services that answer 503, by the path segment of their URLs: "ocsp", "crls", "tsa".
    stopped: set[str] = field(default_factory=set)
    # The PKI's own clock (CRLs, OCSP responses and timestamps are made as of this moment); None is now.
    clock: datetime | None = None
    requests: list[str] = field(default_factory=list)

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/ltv/tsa/tsa"

    @property
    def second_tsa_url(self) -> str:
        return f"{self.url}/ltv/tsa/tsa2"

    @property
    def root_pem(self) -> Path:
        return self.folder / "root.pem"

    @property
    def signer_p12(self) -> Path:
        return self.folder / "signer.p12"

    @property
    def signer_expires(self) -> datetime:
        return self.started + SIGNER_LIFETIME

    @property
    def tsa_expires(self) -> datetime:
        return self.started + TSA_LIFETIME

    def certificate(self, label: str):
        return self.architecture.get_cert(CertLabel(label))

    def reset(self) -> None:
        self.stopped = set()
        self.clock = None
        self.requests.clear()

    def wsgi(self, animator):
        def application(environ, start_response):
            path = environ.get("PATH_INFO", "")
            self.requests.append(path)
            if any(f"/{service}/" in path for service in self.stopped):
                return Response("this service of the test PKI is stopped", status=503)(environ, start_response)
            if self.clock is not None:
                environ["HTTP_X_CERTOMANCER_FAKE_TIME"] = self.clock.isoformat()
            return animator(environ, start_response)

        return application


def _write_keys(folder: Path) -> None:
    for label in KEYS:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (folder / f"{label}.key.pem").write_bytes(pem)


def _config_text(url: str, keys: Path, now: datetime) -> str:
    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")

    values = {
        "url": url,
        "keys": str(keys),
        "past": stamp(now - timedelta(days=1)),
        "signer_expires": stamp(now + SIGNER_LIFETIME),
        "tsa_expires": stamp(now + TSA_LIFETIME),
        "far_future": stamp(now + timedelta(days=20 * 365)),
    }
    return re.sub(r"\$\{(\w+)\}", lambda match: values[match.group(1)], CONFIG.read_text())


def start_test_pki(folder: Path, passphrase: str | None) -> TestPki:
    """Generate the keys, write the platform's files (root PEM, signer PKCS#12) and start serving."""
    # The system picks the port as the server binds it (parallel test workers each start one); the URLs in the
    # certificates need it before the application exists, which is set once the architecture is built.
    server = make_server("127.0.0.1", 0, Response("the test PKI is starting", status=503), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    now = datetime.now(UTC).replace(microsecond=0)
    _write_keys(folder)
    config = CertomancerConfig.from_yaml(_config_text(url, folder, now), key_search_dir=str(folder))
    architecture = config.get_pki_arch(ARCHITECTURE)
    root = x509.load_der_x509_certificate(architecture.get_cert(CertLabel("root")).dump())
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    password = passphrase.encode() if passphrase else None
    (folder / "signer.p12").write_bytes(architecture.package_pkcs12(CertLabel("signer"), password=password))
    pki = TestPki(url=url, folder=folder, architecture=architecture, started=now)
    animator = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    # Werkzeug would log every OCSP and TSA request of the run.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server.app = pki.wsgi(animator)
    pki.server = server
    threading.Thread(target=pki.server.serve_forever, name="test-pki", daemon=True).start()
    return pki
