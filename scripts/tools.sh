#!/usr/bin/env bash
# Installs the pinned code generators and checkers into .bin/ (idempotent).
# Sourced by scripts/gen.sh and .ci/run; run it alone to prepare a machine.
# Given module@version arguments it installs those instead (bench/tools.sh).
#
# Why not Go's `tool` directive: it puts each tool's dependencies into one
# module graph (go.mod's, or a shared tools/go.mod), where minimal version
# selection raises them together. buf v1.75.0 requires a newer
# google.golang.org/protobuf (v1.36.13-0.20261016…) than the
# protoc-gen-go we pin (v1.36.12), so in one graph protoc-gen-go would
# become that pseudo-version and every generated file's header would
# change; in go.mod it would also move the service's own protobuf and
# x/tools. `go install module@version` builds each tool from its own
# go.mod, exactly at its pin, which is what a regenerate-and-diff CI needs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TOOLS=(
  github.com/bufbuild/buf/cmd/buf@v1.75.0
  google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
  google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.0
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway@v2.33.0
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2@v2.33.0
  honnef.co/go/tools/cmd/staticcheck@v0.8.2
  github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.4 # the docs' examples (internal/doctest)
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
