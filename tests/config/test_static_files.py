"""The production path for static files: hashed names from the manifest storage."""

import json

from tests.commands import PRODUCTION_ENV, run_manage


def test_collectstatic_with_production_settings_hashes_every_vendored_file(tmp_path):
    result = run_manage("collectstatic", "--noinput", env={**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)})

    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/bootstrap/bootstrap.bundle.min.js", "vendor/bootstrap/bootstrap.min.css", "css/app.css"):
        assert name in manifest
        assert (tmp_path / manifest[name]).is_file()
