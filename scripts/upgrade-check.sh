#!/usr/bin/env bash
# Prove that upgrading an installation loses nothing: build a PostgreSQL database with an older version of the code
# (its migrations, signing key and demo content, which issues and signs certificates), then migrate it with this
# checkout and check that every table kept its rows and every certificate still verifies (our verifier, pdfsig,
# the registry's lookups).
#
#   scripts/upgrade-check.sh OLD_COMMIT [DATABASE_NAME]
#
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and poppler-utils; leaves the database for inspection and
# removes the old checkout and the temporary media and key folders.
set -euo pipefail
cd "$(dirname "$0")/.."
old_commit=${1:?usage: scripts/upgrade-check.sh OLD_COMMIT [DATABASE_NAME]}
database=${2:-lms_upgrade_check}
here=$(pwd)
work=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$database"
export MEDIA_ROOT="$work/media" PKI_ROOT="$work/pki"
unset REDIS_URL

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $database" postgres
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $database" postgres

echo "== building $database with $old_commit"
git worktree add --detach "$work/old" "$old_commit" >/dev/null
ln -s "$here/.venv" "$work/old/.venv"
ln -s "$here/node_modules" "$work/old/node_modules"
(
  cd "$work/old"
  .venv/bin/python manage.py migrate --no-input -v 0
  .venv/bin/python manage.py ensure_signing_key
  .venv/bin/python manage.py load_demo >/dev/null
)

row_counts() {
  psql -h 127.0.0.1 -U postgres -d "$database" -Atc "
    SELECT format('SELECT %L || '' '' || count(*) FROM %I;', table_name, table_name)
    FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'django_migrations'
    ORDER BY table_name" | psql -h 127.0.0.1 -U postgres -d "$database" -At
}
row_counts >"$work/rows-before"

echo "== migrating with this checkout"
.venv/bin/python manage.py showmigrations --plan | grep -v '^\[X\]' || echo "(no migration left to apply)"
.venv/bin/python manage.py migrate --no-input
row_counts >"$work/rows-after"

echo "== rows per table, before and after"
if diff "$work/rows-before" "$work/rows-after"; then
  echo "every table kept its rows ($(wc -l <"$work/rows-before") tables)"
else
  echo "rows changed" >&2
  exit 1
fi

echo "== certificates"
.venv/bin/python scripts/verify_certificates.py
