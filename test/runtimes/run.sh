#!/usr/bin/env bash
# Runs the openai and package suites under another Node with openai 7, both from this folder's node_modules
# (installed by test/setup/environment.sh): `bash test/runtimes/run.sh 22 [vitest args...]`.
# The same vitest binary runs under that Node; test/vitest.config.ts resolves `openai` from here when
# EC_OPENAI_FROM is set, and the package test installs the same openai into its consumer project.
set -euo pipefail
cd "$(dirname "$0")/../.."
major=${1:?usage: run.sh 22|24 [vitest args...]}
shift
node=test/runtimes/node_modules/node$major/bin/node
if [ ! -x "$node" ]; then
  echo "error: $node is missing: run npm run setup" >&2
  exit 1
fi
openai=$("$node" -p 'require("./test/runtimes/node_modules/openai/package.json").version')
echo "Node $("$node" --version) with openai $openai" >&2
# The suites spawn process.execPath and npm: both must be this Node.
export PATH="$PWD/test/runtimes/node_modules/node$major/bin:$PATH"
export EC_OPENAI_FROM="$PWD/test/runtimes"
export EC_OPENAI_VERSION="$openai"
exec "$node" node_modules/vitest/vitest.mjs run --config test/vitest.config.ts test/openai test/package "$@"
