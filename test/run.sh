#!/usr/bin/env bash
# npm test: the typecheck, the production build (the manifest tests read dist/), then every vitest test.
# Arguments go to vitest: npm test -- test/manifest.test.ts
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium; the manifest test validates with xmllint.
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  else
    echo "npm test needs ${missing[*]}. Install with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

echo "== format and lint (biome)"
npx biome check .
echo "== typecheck (tsc)"
npx tsc -p tsconfig.json
echo "== build (webpack, production)"
npm run build --silent
echo "== build (the task pane with the reference fixture, for its browser tests)"
npm run build:test-pane --silent
echo "== tests (vitest)"
npx vitest run "$@"
