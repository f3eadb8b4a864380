#!/usr/bin/env bash
# Installs the pinned code generators and checkers into .bin/ (idempotent).
# Sourced by scripts/gen.sh and .ci/run; run it alone to prepare a machine.
# Given module@version arguments it installs those instead (bench/tools.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TOOLS=(
  github.com/bufbuild/buf/cmd/buf@v1.75.0
  google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
  google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.0
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway@v2.33.0
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2@v2.33.0
  honnef.co/go/tools/cmd/staticcheck@v0.8.2
)
if (($# > 0)); then
  TOOLS=("$@")
fi

mkdir -p .bin
for t in "${TOOLS[@]}"; do
  name=$(basename "${t%@*}")
  # A module path ending in its major version (vegeta/v12) names the binary
  # by the element before it.
  [[ "$name" == v[0-9]* ]] && name=$(basename "$(dirname "${t%@*}")")
  stamp=".bin/.$name.version"
  if [[ -x ".bin/$name" && "$(cat "$stamp" 2>/dev/null)" == "$t" ]]; then
    continue
  fi
  echo "installing $t" >&2
  GOBIN="$PWD/.bin" go install "$t"
  echo "$t" >"$stamp"
done
