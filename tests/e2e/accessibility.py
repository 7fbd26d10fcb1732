"""axe-core (from npm, pinned in package.json) run inside the page that the browser shows."""

from functools import cache
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


@cache
def axe_source():
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: `make install` runs `npm ci` which installs axe-core")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def serious_violations(page):
    """The serious and critical WCAG 2.x A/AA violations that axe finds on the page as it is now."""
    # Evaluated through the DevTools protocol, so the site's Content-Security-Policy does not block it.
    page.evaluate(axe_source())
    results = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
            resultTypes: ["violations"],
        })"""
    )
    return [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        lines.extend(f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5])
    return "\n".join(lines)


def assert_accessible(page):
    violations = serious_violations(page)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"
