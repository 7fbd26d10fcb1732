"""Where a signed-in learner's request spends its time: py-spy on a running gunicorn worker under wrk load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_peer_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python benchmarks/learner_profile.py module|course|xapi|dashboard|community|directory|attempt|save \\
        [--seconds 20] [--top 25]

The same database, settings and demo teacher as ``benchmarks/peer_comparison.py`` (run that once first, or this
prepares the database the same way). One sync gunicorn worker serves; wrk keeps it busy with 4 connections while
``py-spy record`` samples it (100 samples a second, waits on PostgreSQL and Redis included); then the frames are
ranked by the share of samples they appear in (inclusive) and by the share in which they are the innermost frame
(self). The raw collapsed stacks are kept beside the wrk output under ``var/peer-comparison/``.
"""

import argparse
import collections
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer_comparison as bench  # noqa: E402
from peer_comparison import say  # noqa: E402

OUR_PACKAGES = {"accounts", "assessments", "certification", "community", "core", "courses", "home", "lms", "reports"}
ENDPOINTS = ("module", "course", "xapi", "dashboard", "community", "directory", "attempt", "save")


def target(name, teacher, course, module, attempt):
    from django.urls import reverse

    extra = bench.extra_paths(teacher, attempt)
    paths = {
        "module": module.url,
        "course": course.url,
        "xapi": reverse("courses:xapi"),
        "dashboard": extra["learner dashboard"],
        "community": extra["community page"],
        "directory": extra["expert directory"],
        "attempt": extra["quiz attempt page"],
        "save": bench.answer_save_path(attempt),
    }
    return paths[name], ("POST" if name in ("xapi", "save") else "GET")


def frame_name(frame):
    """``function (path)`` with the path from the package on (py-spy gives it absolute)."""
    for marker in ("site-packages/", f"{bench.ROOT}/", "/lib/python3.11/"):
        if marker in frame:
            frame = frame.replace(frame[frame.find("(") + 1 : frame.find(marker) + len(marker)], "")
    return frame


def rank(collapsed: Path, top: int):
    inclusive, own, total = collections.Counter(), collections.Counter(), 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        count = int(count)
        frames = [frame_name(f) for f in stack.split(";")]
        # Only samples inside a request: the worker's accept loop and gunicorn's own housekeeping are left out.
        if not any("get_response" in f for f in frames):
            continue
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    lines = [f"{total} samples in requests", "", "| inclusive | frame |", "| ---: | --- |"]
    # Frames in (nearly) every sample are the server and middleware stack every request passes through.
    below_stack = [(frame, n) for frame, n in inclusive.most_common() if n < 0.98 * total]
    lines += [f"| {n * 100 / total:.1f} % | `{frame}` |" for frame, n in below_stack[:top]]
    ours = [(frame, n) for frame, n in below_stack if frame.split("(")[-1].split("/")[0] in OUR_PACKAGES]
    lines += ["", "| inclusive, our code | frame |", "| ---: | --- |"]
    lines += [f"| {n * 100 / total:.1f} % | `{frame}` |" for frame, n in ours[:top]]
    lines += ["", "| self | frame |", "| ---: | --- |"]
    lines += [f"| {n * 100 / total:.1f} % | `{frame}` |" for frame, n in own.most_common(top)]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("endpoint", choices=ENDPOINTS)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--server",
        default="sync:1",
        help="sync:N or gthread:NxT (default sync:1); with several workers the first is sampled, and wrk opens "
        "32 connections as the comparison does, so that waits between one learner's requests show",
    )
    arguments = parser.parse_args()
    teacher, course, module, package = bench.prepare_database()
    folder = bench.ROOT / "var" / "peer-comparison" / f"profile-{arguments.endpoint}-{time.strftime('%H%M%S')}"
    folder.mkdir(parents=True)
    attempt = bench.prepare_quiz(teacher, course)
    body = bench.xapi_body(folder, module, package)
    if arguments.endpoint == "save":
        body = bench.answer_save_body(folder, attempt)
    path, method = target(arguments.endpoint, teacher, course, module, attempt)
    server = bench.serve_ours(arguments.server)
    try:
        base = f"http://{bench.OURS}"
        cookie, csrf = bench.login(
            base, "/zh-hant/accounts/login/", bench.TEACHER_EMAIL, bench.TEACHER_PASSWORD, "login", sys.executable
        )
        worker = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()[0]
        env = {
            **os.environ,
            "METHOD": method,
            "COOKIE": cookie,
            "CSRF": csrf,
            "ORIGIN": base,
            "BODY_FILE": str(body),
            "LABEL": arguments.endpoint,
        }
        wrk = [
            "wrk",
            "-t1" if arguments.server == "sync:1" else "-t2",
            "-c4" if arguments.server == "sync:1" else "-c32",
            f"-d{arguments.seconds + 8}s",
            "--latency",
            "-s",
            str(bench.ANSWER_SAVE_LUA if arguments.endpoint == "save" else bench.PEER_BENCH / "bench.lua"),
            base + path,
        ]
        load = subprocess.Popen(wrk, env=env, stdout=subprocess.PIPE, text=True)
        time.sleep(4)  # caches and connections warm
        collapsed = folder / "py-spy.txt"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                worker,
                "--duration",
                str(arguments.seconds),
                "--rate",
                "100",
                "--idle",
                "--nolineno",
                "--format",
                "raw",
                "--output",
                str(collapsed),
                "--nonblocking",
            ],
            check=True,
            capture_output=True,
        )
        output, _ = load.communicate()
        (folder / "wrk.txt").write_text(output)
        say(
            f"{arguments.endpoint} {path}: {bench.parse_result(output)['rps']:.0f} req/s with {arguments.server}, "
            f"load {bench.load_average()}"
        )
        say(rank(collapsed, arguments.top))
        say(f"raw: {folder}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
