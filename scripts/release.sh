#!/usr/bin/env bash
# Builds the release archives from the committed tree:
#   dist/wenming-VERSION-linux-amd64.tar.gz, …-linux-arm64.tar.gz, SHA256SUMS
# Each holds the static binary (pure-Go SQLite, time zones embedded),
# README.md, docs/ and deploy/ (the systemd units and an env file).
#
#   bash scripts/release.sh [VERSION]     VERSION defaults to `git describe`
#   DIST=/tmp/out bash scripts/release.sh   another output folder
#
# Reproducible: the same commit gives byte-identical archives on any
# machine with the same Go release. Paths are trimmed, the binary carries
# the version and commit (and the commit's time) but no build time, and the
# archives take every file's time from the commit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -n "$(git status --porcelain --untracked-files=normal)" ]]; then
  git status --short >&2
  echo "release: the tree has uncommitted or untracked files; a release is built from a commit" >&2
  exit 1
fi
commit=$(git rev-parse HEAD)
version=${1:-$(git describe --tags --always --match 'v*')}
epoch=$(git log -1 --format=%ct HEAD)
dist=${DIST:-dist}
pkg=github.com/wenming/wenming/internal/buildinfo
ldflags="-s -w -X $pkg.version=$version -X $pkg.commit=$commit"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dist"
archives=()
for arch in amd64 arm64; do
  name=wenming-$version-linux-$arch
  dir=$work/$name
  mkdir -p "$dir"
  echo "release: building $name" >&2
  CGO_ENABLED=0 GOOS=linux GOARCH=$arch GOFLAGS=-mod=readonly \
    go build -trimpath -buildvcs=true -tags timetzdata -ldflags "$ldflags" -o "$dir/wenming" ./cmd/wenming
  # git archive gives the committed files with no local modes or times.
  git archive HEAD README.md docs deploy | tar -x -C "$dir"
  find "$dir" -type d -exec chmod 0755 {} +
  find "$dir" -type f -exec chmod 0644 {} +
  chmod 0755 "$dir/wenming"
  tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --format=gnu \
    -C "$work" -cf - "$name" | gzip -9n >"$dist/$name.tar.gz"
  archives+=("$name.tar.gz")
done
(cd "$dist" && sha256sum "${archives[@]}" >SHA256SUMS && cat SHA256SUMS)
