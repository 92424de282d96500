#!/usr/bin/env bash
# Runs the whole test suite (unit and acceptance). Exit code 5 (no tests collected) counts as failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export JEKYLL_MIGRATE_CORPORA="${JEKYLL_MIGRATE_CORPORA:-$(cd .. && pwd)/shared/corpora}"
python3 -m pytest -p no:cacheprovider -q "$@"
