#!/usr/bin/env bash
# Copy the front-end packages installed from npm into static/vendor, so every
# asset a page loads is served by us and never by a third party.
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf static/vendor
mkdir -p static/vendor/bootstrap static/vendor/htmx
cp node_modules/bootstrap/dist/css/bootstrap.min.css static/vendor/bootstrap/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
cp node_modules/bootstrap/LICENSE static/vendor/bootstrap/LICENSE
cp node_modules/htmx.org/LICENSE static/vendor/htmx/LICENSE
