#!/usr/bin/env bash
# Vendors third-party browser files from the npm registry at pinned
# versions, checking each package and each file against its SHA-256, and
# writes them where the Go code embeds them. The files are committed, so
# building and testing wenming needs no npm; run this only to change a
# version (then update the checksums below after reviewing the new files).
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
)

check_file() { # path sha256
  [[ $2 == - ]] && return 0
  echo "$2  $1" | sha256sum --check --quiet
}

if [[ ${1:-} == --check ]]; then
  for v in "${vendored[@]}"; do
    read -r _ _ _ _ dest sum <<<"$v"
    check_file "$dest" "$sum"
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
  check_file "$scratch/$inner" "$sum"
  mkdir -p "$(dirname "$dest")"
  cp "$scratch/$inner" "$dest"
  echo "vendored $pkg@$version $inner -> $dest"
done
