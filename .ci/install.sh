#!/usr/bin/env bash
# Installs everything the tests need on a fresh machine: Debian packages, the Python package with its
# test extras (in .venv/), and the npm-based programs (Ghost, wordpress-export-to-markdown). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
APT_PACKAGES=(
  jekyll ruby-jekyll-redirect-from ruby-jekyll-feed ruby-jekyll-seo-tag ruby-jekyll-sitemap
  ruby-jekyll-paginate ruby-jekyll-include-cache
  ruby-jekyll-polyglot ruby-jekyll-multiple-languages
  ruby-jekyll-optional-front-matter ruby-jekyll-readme-index ruby-jekyll-titles-from-headings
  ruby-jekyll-relative-links ruby-jekyll-default-layout
  ruby-jekyll-archives ruby-jekyll-paginate-v2
  ruby-jekyll-gist ruby-jekyll-mentions
  ruby-jekyll-github-metadata ruby-jekyll-last-modified-at ruby-jekyll-avatar
  nginx apache2 caddy chromium pandoc time
  php-cli php-sqlite3 php-xml php-mbstring
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Package installs may start the distribution's own servers on port 80; the tests run their own.
service nginx stop >/dev/null 2>&1 || true
service apache2 stop >/dev/null 2>&1 || true
service caddy stop >/dev/null 2>&1 || true

# Real consumers from npm: two hosts' redirect parsers and a WXR reader (found through JM_NPM_PREFIX).
JM_NPM_PREFIX="${JM_NPM_PREFIX:-/opt/jm-npm}"
if [ ! -d "$JM_NPM_PREFIX/node_modules/wordpress-export-to-markdown" ]; then
  npm_log=$(mktemp)
  npm install --no-audit --no-fund --loglevel=error --prefix "$JM_NPM_PREFIX" \
    netlify-redirect-parser@14.4.0 @vercel/routing-utils@6.6.0 wordpress-export-to-markdown@2.2.2 >"$npm_log" 2>&1 \
    || { echo "install: npm install failed:" >&2; tail -20 "$npm_log" >&2; exit 1; }
  rm -f "$npm_log"
fi
# GitHub's emoji names (gemoji 4.1.0): the oracle of the table jemoji's names become Unicode by.
if [ ! -d "$JM_NPM_PREFIX/node_modules/gemoji" ]; then
  npm install --no-audit --no-fund --loglevel=error --prefix "$JM_NPM_PREFIX" gemoji@8.1.0 >/dev/null 2>&1 \
    || { echo "install: npm install gemoji failed" >&2; exit 1; }
fi

# A real WordPress for the push tests (tests/support/wordpress/server.py): WordPress and its SQLite
# integration from npm, as a tarball (npm pack: nothing to install, the zips inside are unpacked by the tests).
WP_BUILDS=wp-playground-wordpress-builds-0.9.19.tgz
if [ ! -f "$JM_NPM_PREFIX/tarballs/$WP_BUILDS" ]; then
  mkdir -p "$JM_NPM_PREFIX/tarballs"
  npm_log=$(mktemp)
  npm pack --silent --pack-destination "$JM_NPM_PREFIX/tarballs" @wp-playground/wordpress-builds@0.9.19 >"$npm_log" 2>&1 \
    || { echo "install: npm pack @wp-playground/wordpress-builds failed:" >&2; tail -20 "$npm_log" >&2; exit 1; }
  rm -f "$npm_log"
fi

# WordPress 6.5's own block parser and core blocks (@wordpress/blocks + block-library of the wp/6.5 line, every
# @wordpress package pinned by the overrides of tests/support/wordpress/blocks/package.json), which validate the
# posts of `--wp-content blocks` exports; into $JM_NPM_PREFIX/wp-blocks.
JM_WP_BLOCKS="$JM_NPM_PREFIX/wp-blocks"
if ! cmp -s tests/support/wordpress/blocks/package.json "$JM_WP_BLOCKS/package.json" \
    || [ ! -d "$JM_WP_BLOCKS/node_modules/@wordpress/block-library" ]; then
  mkdir -p "$JM_WP_BLOCKS"
  cp tests/support/wordpress/blocks/package.json "$JM_WP_BLOCKS/package.json"
  npm_log=$(mktemp)
  (cd "$JM_WP_BLOCKS" && npm install --no-audit --no-fund --loglevel=error) >"$npm_log" 2>&1 \
    || { echo "install: npm install of the block validator failed:" >&2; tail -20 "$npm_log" >&2; exit 1; }
  rm -f "$npm_log"
fi

# The package with its test extras, into the checkout's .venv/ (never the system Python: PEP 668).
JM_EXTRAS=test source scripts/venv.sh
