#!/usr/bin/env bash
# The inner loop while working: the unit layer only (no real Jekyll, Hugo, nginx, Ghost), with a tenth of each
# property test's example budget. CI and scripts/test.sh run the full budgets and the acceptance layer.
set -uo pipefail
cd "$(dirname "$0")/.."
JM_EXTRAS=test source scripts/venv.sh || exit 2
set +e
export JEKYLL_MIGRATE_HYPOTHESIS=quick
python -m pytest -p no:cacheprovider -q -m "not acceptance" "$@"
