#!/usr/bin/env bash
# Vendors Swagger UI (the /docs page) from the npm registry at a pinned
# version into internal/apidoc/ui/, checking the package's checksum, so the
# page is embedded in the binary and loads nothing from elsewhere. The
# files are committed: building wenming needs neither npm nor a network.
# Run it only to move to another version (change VERSION and SHA256).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VERSION=5.35.0
# sha256 of swagger-ui-dist-$VERSION.tgz as `npm pack` downloads it; npm
# itself also checks the registry's sha512 integrity.
SHA256=1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6
FILES=(swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null)
tgz="$scratch/swagger-ui-dist-$VERSION.tgz"
echo "$SHA256  $tgz" | sha256sum -c --quiet -
tar -xzf "$tgz" -C "$scratch"

out=internal/apidoc/ui
rm -rf "$out"
mkdir -p "$out"
for f in "${FILES[@]}"; do
  cp "$scratch/package/$f" "$out/$f"
done
# The bundle ends with a source-map comment for a file we do not ship.
sed -i -e '/^\/\/# sourceMappingURL=/d' -e '/^\/\*# sourceMappingURL=.*\*\/$/d' "$out/swagger-ui-bundle.js" "$out/swagger-ui.css"
echo "swagger-ui-dist $VERSION" >"$out/VERSION"
(cd "$out" && sha256sum "${FILES[@]}" >SHA256SUMS)
echo "vendored swagger-ui-dist $VERSION into $out" >&2
