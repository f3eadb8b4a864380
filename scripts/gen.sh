#!/usr/bin/env bash
# Regenerates gen/go and gen/openapi from proto/ with the pinned tools, after
# checking the protos with buf lint and buf format.
#
#   scripts/gen.sh                         every package (what CI runs)
#   scripts/gen.sh proto/wenming/quiz/v1   just that package
#
# Each package is generated into a scratch directory first, so a failure
# leaves gen/ untouched.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/tools.sh
BUF=$PWD/.bin/buf

if (($# == 0)); then
  set --
  for dir in proto/wenming/*/v*; do
    compgen -G "$dir/*.proto" >/dev/null && set -- "$@" "$dir"
  done
  all=1
else
  all=0
fi

paths=()
for dir in "$@"; do
  dir=${dir%/}
  [[ -d $dir ]] || { echo "gen.sh: no such package directory: $dir" >&2; exit 1; }
  paths+=(--path "$dir")
done
$BUF lint "${paths[@]}"
$BUF format -d --exit-code "${paths[@]}"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for dir in "$@"; do
  dir=${dir%/}
  pkgdir=${dir#proto/} # e.g. wenming/quiz/v1
  $BUF generate --path "$dir" --template buf.gen.yaml -o "$scratch"
  # HTTP routes come from one gateway YAML file per package.
  for routes in "$dir"/*_http.yaml; do
    [[ -e $routes ]] || continue
    $BUF generate --path "$dir" -o "$scratch" --template "
version: v2
plugins:
  - local: $PWD/.bin/protoc-gen-grpc-gateway
    out: gen/go
    opt: [paths=source_relative, grpc_api_configuration=$routes]
  - local: $PWD/.bin/protoc-gen-openapiv2
    out: gen/openapi
    opt: [grpc_api_configuration=$routes, allow_merge=true, merge_file_name=${pkgdir//\//_}]
"
  done
done

if ((all)); then
  rm -rf gen/go gen/openapi
fi
for dir in "$@"; do
  pkgdir=${dir#proto/}
  pkgdir=${pkgdir%/}
  rm -rf "gen/go/$pkgdir" "gen/openapi/${pkgdir//\//_}.swagger.json"
  mkdir -p "gen/go/$pkgdir" gen/openapi
  cp -R "$scratch/gen/go/$pkgdir/." "gen/go/$pkgdir/"
  if [[ -e "$scratch/gen/openapi/${pkgdir//\//_}.swagger.json" ]]; then
    cp "$scratch/gen/openapi/${pkgdir//\//_}.swagger.json" gen/openapi/
  fi
done

# One OpenAPI 3 document for the whole HTTP API, served at /openapi.json
# and under /docs (internal/apidoc embeds it).
go run ./scripts/openapi gen/openapi internal/apidoc/openapi.json
