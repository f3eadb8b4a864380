#!/usr/bin/env bash
# Installs the pinned load generators of the bench harness into .bin/
# (idempotent), in the style of scripts/tools.sh. They stay out of go.mod.
# go run ./bench/cmd/loadrun calls this itself; run it alone to prepare a
# machine ahead of a measurement.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TOOLS=(
  github.com/bojand/ghz/cmd/ghz@v0.120.0
  github.com/tsenart/vegeta/v12@v12.13.0
)

mkdir -p .bin
for t in "${TOOLS[@]}"; do
  name=$(basename "${t%@*}")
  # vegeta's module path ends in its major version; the binary is "vegeta".
  [[ "$name" == v[0-9]* ]] && name=$(basename "$(dirname "${t%@*}")")
  stamp=".bin/.$name.version"
  if [[ -x ".bin/$name" && "$(cat "$stamp" 2>/dev/null)" == "$t" ]]; then
    continue
  fi
  echo "installing $t" >&2
  GOBIN="$PWD/.bin" go install "$t"
  echo "$t" >"$stamp"
done
