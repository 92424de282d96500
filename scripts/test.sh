#!/usr/bin/env bash
# Runs the whole test suite (unit and acceptance) from the project's .venv/ (made by scripts/venv.sh with the
# test extras), showing the lines each acceptance test prints (URLS, FIDELITY, HUGO, WXR, GHOST, REDIRECTS,
# HOSTILE ...). Exit code 5 (no tests collected) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
JM_EXTRAS=test source scripts/venv.sh || exit 2
set +e
export JEKYLL_MIGRATE_CORPORA="${JEKYLL_MIGRATE_CORPORA:-$(cd .. && pwd)/shared/corpora}"
python -m pytest -p no:cacheprovider -q -s "$@"
