#!/usr/bin/env bash
# Runs the whole test suite (unit and acceptance), showing the lines each acceptance test prints
# (URLS, FIDELITY, HUGO, WXR, GHOST, REDIRECTS, HOSTILE ...). Exit code 5 (no tests collected) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export JEKYLL_MIGRATE_CORPORA="${JEKYLL_MIGRATE_CORPORA:-$(cd .. && pwd)/shared/corpora}"
python3 -m pytest -p no:cacheprovider -q -s "$@"
