#!/usr/bin/env bash
# Copy the front-end packages installed from npm into static/vendor, so every
# asset a page loads is served by us and never by a third party. The minified
# files name their source maps at the end, and collectstatic's manifest storage
# refuses a file whose references it cannot find, so the maps come along.
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf static/vendor
mkdir -p static/vendor/bootstrap static/vendor/htmx
for file in css/bootstrap.min.css css/bootstrap.min.css.map js/bootstrap.bundle.min.js js/bootstrap.bundle.min.js.map; do
  cp "node_modules/bootstrap/dist/$file" static/vendor/bootstrap/
done
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
cp node_modules/bootstrap/LICENSE static/vendor/bootstrap/LICENSE
cp node_modules/htmx.org/LICENSE static/vendor/htmx/LICENSE

# Fail here, not at deploy time, if a copied file names a map that was not copied.
for file in static/vendor/*/*.js static/vendor/*/*.css; do
  map=$(sed -n 's/.*sourceMappingURL=\([^ *]*\).*/\1/p' "$file" | tail -n 1)
  if [ -n "$map" ] && [ ! -f "$(dirname "$file")/$map" ]; then
    echo "vendor-assets: $file names $map, which was not copied" >&2
    exit 1
  fi
done
