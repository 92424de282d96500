#!/usr/bin/env bash
# Installs jekyll-migrate into .venv/ and migrates every sample site to Hugo, WordPress and Ghost under ./out/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
for site in samples/*/; do
  name=$(basename "$site")
  [ -f "$site/_config.yml" ] || continue
  for target in hugo wordpress ghost; do
    echo "== $name -> $target"
    jekyll-migrate export "$site" --to "$target" -o "out/$name-$target" --force \
      --report "out/$name-$target.report.html" || echo "   (finished with problems: see the report)"
  done
done
echo "done: see out/ (the tool is .venv/bin/jekyll-migrate; or run: source .venv/bin/activate)"
