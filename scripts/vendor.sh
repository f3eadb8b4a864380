#!/usr/bin/env bash
# Vendors third-party browser files from the npm registry at pinned
# versions, checking each package and each file against its SHA-256, and
# writes them where the Go code embeds them. The files are committed, so
# building and testing wenming needs no npm; run this only to change a
# version (then update the checksums below after reviewing the new files).
# Source-map comments are cut from .js and .css files (the maps are not
# shipped); a file's checksum is of the file as committed.
#
#   scripts/vendor.sh          fetch, check and write every vendored file
#   scripts/vendor.sh --check  only check the committed files
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# package version tarball-sha256 file-in-package destination file-sha256
vendored=(
  # axe-core runs inside pages in browser tests (accessibility), never served.
  "axe-core 4.10.3 0f2b4d7dcdf7d1219df8d1959ad68e565f51d14c3f0d88bb71cd59abeb956292 package/axe.min.js internal/web/webtest/vendor/axe.min.js 880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"
  "axe-core 4.10.3 0f2b4d7dcdf7d1219df8d1959ad68e565f51d14c3f0d88bb71cd59abeb956292 package/LICENSE internal/web/webtest/vendor/axe-core.LICENSE -"
  # ECharts draws the staff console's charts; embedded and served by /console.
  "echarts 5.6.0 e1b82487dd7f8d9f0438eec1f1433051148e0095ac7a15d4db890afda45cf610 package/dist/echarts.min.js internal/web/console/static/vendor/echarts.min.js bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1"
  "echarts 5.6.0 e1b82487dd7f8d9f0438eec1f1433051148e0095ac7a15d4db890afda45cf610 package/LICENSE internal/web/console/static/vendor/echarts.LICENSE.txt -"
  # Swagger UI is the API reference page /docs (internal/apidoc); embedded.
  "swagger-ui-dist 5.35.0 1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6 package/swagger-ui-bundle.js internal/apidoc/ui/swagger-ui-bundle.js e6a898692f2d768e807c3ba4626068a69a2c5dd960dd6c76f3e4d3a3de180af2"
  "swagger-ui-dist 5.35.0 1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6 package/swagger-ui.css internal/apidoc/ui/swagger-ui.css a6a4cf68f069eb89984d5d43644e6a812e749df08d2b1320c6e06e6973847d10"
  "swagger-ui-dist 5.35.0 1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6 package/LICENSE internal/apidoc/ui/LICENSE cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"
  "swagger-ui-dist 5.35.0 1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6 package/NOTICE internal/apidoc/ui/NOTICE 0d20d1adef18aee3f40dd258172155521ce702ac445cb5f7b7d60ed32dad2fb2"
)

# version_files name a package whose version the Go code shows; the file
# holds "package version" and is checked like the others.
version_files=(
  "swagger-ui-dist internal/apidoc/ui/VERSION"
)

check_file() { # path sha256
  [[ $2 == - ]] && return 0
  echo "$2  $1" | sha256sum --check --quiet
}

version_of() { # package
  for v in "${vendored[@]}"; do
    read -r pkg version _ <<<"$v"
    [[ $pkg == "$1" ]] && { echo "$version"; return; }
  done
}

if [[ ${1:-} == --check ]]; then
  for v in "${vendored[@]}"; do
    read -r _ _ _ _ dest sum <<<"$v"
    check_file "$dest" "$sum"
  done
  for vf in "${version_files[@]}"; do
    read -r pkg dest <<<"$vf"
    want="$pkg $(version_of "$pkg")"
    [[ "$(cat "$dest")" == "$want" ]] || { echo "$dest: want \"$want\", have \"$(cat "$dest")\"" >&2; exit 1; }
  done
  exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for v in "${vendored[@]}"; do
  read -r pkg version tgzsum inner dest sum <<<"$v"
  tgz="$scratch/$pkg-$version.tgz"
  if [[ ! -e $tgz ]]; then
    (cd "$scratch" && npm pack "$pkg@$version" --silent >/dev/null)
    echo "$tgzsum  $tgz" | sha256sum --check --quiet
  fi
  tar -xzf "$tgz" -C "$scratch" "$inner"
  if [[ $inner == *.js || $inner == *.css ]]; then
    sed -i -e '/^\/\/# sourceMappingURL=/d' -e '/^\/\*# sourceMappingURL=.*\*\/$/d' "$scratch/$inner"
  fi
  check_file "$scratch/$inner" "$sum"
  mkdir -p "$(dirname "$dest")"
  cp "$scratch/$inner" "$dest"
  echo "vendored $pkg@$version $inner -> $dest"
done
for vf in "${version_files[@]}"; do
  read -r pkg dest <<<"$vf"
  echo "$pkg $(version_of "$pkg")" >"$dest"
done
