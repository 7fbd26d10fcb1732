"""Production settings for the HTTP benchmarks: one load generator on 127.0.0.1 stands for thousands of principals,
so the per-address verification limit and the per-learner xAPI limit are raised; everything else is production as
deployed."""

from lms.settings.production import *  # noqa: F403

VERIFY_LOOKUPS_PER_MINUTE = 10**9
# Likewise one wrk connection pool posts for one learner hundreds of xAPI statements a second (120 a minute in
# production): the per-learner limit is raised for the run, and only for the run.
XAPI_STATEMENTS_PER_MINUTE = 10**9
# Collected apart from a deployment's static_collected/, by benchmarks/http_load.py on its first run.
STATIC_ROOT = BASE_DIR / "var" / "benchmark-static"  # noqa: F405
