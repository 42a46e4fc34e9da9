#!/usr/bin/env bash
# Installs everything Isoloir needs on a Debian or Ubuntu machine:
#   system packages (Chromium for the browser tests, Node.js for axe-core and the
#   FranceConnect test peer, espeak-ng for the audio CAPTCHA, libsodium),
#   a Python >= 3.12 virtual environment in .venv with the pinned dependencies
#   (requirements.lock, checked by hash), Isoloir itself, and the npm test tools.
# Re-running it is safe. Without root, it names the missing system packages and stops.
set -euo pipefail
cd "$(dirname "$0")"

# What is needed, and the Debian package that brings it when it is missing. Checked by
# what it provides rather than by package name: Node.js from another source (NodeSource)
# ships npm itself and conflicts with Debian's npm package.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)  # the CAPTCHA's French audio
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)  # tests read the receipts' PDF
# libpango for the PV in PDF/A (WeasyPrint); belenios-tool for bench/depouillement.py,
# which runs the same election beside the reference implementation.
for package in libsodium23 fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 belenios-tool; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installation des paquets système : ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Paquets système manquants : ${missing[*]}" >&2
    echo "Installez-les avec : apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# Django 6 needs Python >= 3.12: the first one found on PATH, then under pyenv, then
# from the distribution (Debian 13 and Ubuntu 24.04 ship one).
find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3 \
                   "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! PYTHON=$(find_python); then
  if [ "$(id -u)" -eq 0 ] && apt-get install -y -qq python3.13 python3.13-venv >/dev/null 2>&1; then
    PYTHON=$(command -v python3.13)
  else
    echo "Python 3.12 ou plus récent est requis (Django 6). Installez python3.12 ou python3.13." >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# The FranceConnect test peer (panva's oidc-provider, run by the tests on loopback).
npm ci --prefix tools/oidc-provider --no-audit --no-fund --loglevel=error

echo "Isoloir est installé. Démonstration : .venv/bin/isoloir demo — tests : ./run-tests"
