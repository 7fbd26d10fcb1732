"""Production settings for the HTTP benchmark: one load generator on 127.0.0.1 stands for thousands of principals,
so the per-address verification limit (30 a minute) is raised; everything else is production as deployed."""

from lms.settings.production import *  # noqa: F403

VERIFY_LOOKUPS_PER_MINUTE = 10**9
# Collected apart from a deployment's static_collected/, by benchmarks/http_load.py on its first run.
STATIC_ROOT = BASE_DIR / "var" / "benchmark-static"  # noqa: F405
