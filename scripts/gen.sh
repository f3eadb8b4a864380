#!/usr/bin/env bash
# Regenerates gen/go and gen/openapi from proto/ with the pinned tools, and
# checks the protos with buf lint and buf format.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/tools.sh
BUF=.bin/buf

$BUF lint
$BUF format -d --exit-code

rm -rf gen/go gen/openapi
$BUF generate

# One gateway routes file per service package: proto/wenming/<svc>/v1/<svc>_http.yaml.
for routes in proto/wenming/*/v*/*_http.yaml; do
  dir=$(dirname "$routes")
  pkgdir=${dir#proto/}
  $BUF generate --path "$dir" --template "
version: v2
plugins:
  - local: .bin/protoc-gen-grpc-gateway
    out: gen/go
    opt: [paths=source_relative, grpc_api_configuration=$routes]
  - local: .bin/protoc-gen-openapiv2
    out: gen/openapi
    opt: [grpc_api_configuration=$routes, allow_merge=true, merge_file_name=${pkgdir//\//_}]
"
done
