"""Which gunicorn configuration serves a signed-in learner fastest: the same pages, each configuration in turn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_peer_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python benchmarks/server_configs.py [--rounds 3] [--duration 10s] \\
        [--server sync:4] [--server gthread:2x4] [--server gthread:4x2]

The database, settings, demo teacher, benchmark course and quiz attempt of ``benchmarks/peer_comparison.py`` (it
prepares them the same way). Each round serves every configuration once, one at a time, in turn (the order reversed
every other round, so that neither always follows the other), signs the teacher in and runs the comparison's wrk
settings (``-t2 -c32``, 5 s warm-up) on the module page, the course page, the dashboard and the quiz attempt page.
Prints every run, then per configuration and page the median over the rounds; req/s of the rounds are kept apart
because a shared machine's load moves between them.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer_comparison as bench  # noqa: E402
from peer_comparison import say  # noqa: E402


def pages(teacher, course, module, attempt):
    extra = bench.extra_paths(teacher, attempt)
    return {
        "module page": module.url,
        "course page": course.url,
        "learner dashboard": extra["learner dashboard"],
        "quiz attempt page": extra["quiz attempt page"],
    }


def turn(server, paths, duration, out):
    process = bench.serve_ours(server)
    try:
        base = f"http://{bench.OURS}"
        cookie, _csrf = bench.login(
            base, "/zh-hant/accounts/login/", bench.TEACHER_EMAIL, bench.TEACHER_PASSWORD, "login", sys.executable
        )
        return {
            name: bench.wrk_get(base, path, cookie, name.replace(" ", "_"), duration, out)
            for name, path in paths.items()
        }
    finally:
        process.terminate()
        process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--server", action="append", help="sync:N or gthread:NxT; repeatable")
    arguments = parser.parse_args()
    servers = arguments.server or ["sync:4", "gthread:2x4"]
    teacher, course, module, _package = bench.prepare_database()
    paths = pages(teacher, course, module, bench.prepare_quiz(teacher, course))
    folder = bench.ROOT / "var" / "server-configs" / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    runs = []
    lines = [
        "| round | server | page | req/s | p50 ms | p99 ms | p99/p50 | load |",
        "| --- | --- | --- |" + " ---: |" * 5,
    ]
    for round_number in range(1, arguments.rounds + 1):
        order = servers if round_number % 2 else list(reversed(servers))
        for server in order:
            out = folder / f"r{round_number}-{server.replace(':', '')}"
            out.mkdir(parents=True)
            for name, result in turn(server, paths, arguments.duration, out).items():
                runs.append((server, name, result))
                tail = result["p99"] / result["p50"] if result["p50"] else 0
                lines.append(
                    f"| {round_number} | {server} | {name} | {result['rps']:.0f} | {result['p50']:.0f} | "
                    f"{result['p99']:.0f} | {tail:.1f} | {result['load']} |"
                )
                say(lines[-1])
    lines += ["", "| page | " + " | ".join(servers) + " |", "| --- |" + " ---: |" * len(servers)]
    for name in paths:
        cells = []
        for server in servers:
            rates = [r["rps"] for s, n, r in runs if s == server and n == name]
            tails = [r["p99"] / r["p50"] for s, n, r in runs if s == server and n == name and r["p50"]]
            cells.append(
                f"{statistics.median(rates):.0f} req/s (rounds {'/'.join(f'{x:.0f}' for x in rates)}), "
                f"p99/p50 {statistics.median(tails):.1f}"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    table = "\n".join(lines) + "\n"
    (folder / "results.md").write_text(table)
    say("\n" + table)
    say(f"raw output: {folder}")


if __name__ == "__main__":
    main()
