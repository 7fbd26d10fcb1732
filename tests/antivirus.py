"""A real ClamAV daemon (Debian's clamav-daemon) of the test run's own, for the virus-scanning tests.

The public signature feed is out of reach here, so clamd gets its own configuration and a one-line signature
database: the EICAR test file's signature. clamd unpacks archives, so the EICAR string inside an .h5p or a .docx
is found as it would be in a real virus. `tests/conftest.py` starts one per test process (`clamd_socket`).
"""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"
# The EICAR test file, assembled here so this source file is not itself flagged by a developer's antivirus.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
SIGNATURE = "IEA.Test.EICAR"


class ClamdFailed(RuntimeError):
    pass


@contextmanager
def running_clamd(folder: Path, timeout: float = 60):
    """Start clamd with its configuration, socket and signature database in ``folder``; yield the socket path.

    The daemon is stopped (by its process id) when the block ends.
    """
    if not shutil.which(CLAMD):
        raise ClamdFailed("clamd is missing: scripts/install-system-deps.sh installs clamav-daemon")
    (folder / "db").mkdir()
    (folder / "tmp").mkdir()
    (folder / "db" / "eicar.ndb").write_text(f"{SIGNATURE}:0:*:{EICAR.hex()}\n")
    sock = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        f"LocalSocket {sock}\nDatabaseDirectory {folder / 'db'}\nTemporaryDirectory {folder / 'tmp'}\n"
        f"LogFile {folder / 'clamd.log'}\nForeground yes\nStreamMaxLength 110M\n"
    )
    process = subprocess.Popen([CLAMD, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while not _answers(sock):
            if process.poll() is not None:
                raise ClamdFailed(f"clamd stopped: {(folder / 'clamd.log').read_text()}")
            if time.monotonic() > deadline:
                raise ClamdFailed(f"clamd did not answer within {timeout:.0f} s")
            time.sleep(0.2)
        yield str(sock)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(sock: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as probe:
            probe.connect(str(sock))
            probe.sendall(b"zPING\0")
            return probe.recv(16).startswith(b"PONG")
    except OSError:
        return False
