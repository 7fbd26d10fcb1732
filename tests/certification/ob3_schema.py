"""The 1EdTech JSON Schema for the Open Badges 3.0 AchievementCredential, kept in ``schemas/`` (see its README)."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft201909Validator

SCHEMA = Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"


@cache
def achievement_credential_validator() -> Draft201909Validator:
    schema = json.loads(SCHEMA.read_text())
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(credential: dict) -> list[str]:
    """Every way ``credential`` breaks the schema, as "path: message" lines (none when it validates)."""
    errors = achievement_credential_validator().iter_errors(credential)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors]
