#!/usr/bin/env bash
# Installs the pinned load generators of the bench harness into .bin/
# (idempotent) with scripts/tools.sh. They stay out of go.mod.
# go run ./bench/cmd/loadrun calls this itself; run it alone to prepare a
# machine ahead of a measurement.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

exec bash scripts/tools.sh \
  github.com/bojand/ghz/cmd/ghz@v0.120.0 \
  github.com/tsenart/vegeta/v12@v12.13.0
