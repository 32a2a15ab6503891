"""Why a test with real workers may not run here; each skip says what to set.

Apart from tests/workers.py, which the production stack script imports before
Django is set up: these read the settings and the database connection.
"""

import shutil

import pytest
from django.conf import settings
from django.db import connection

# Why a test with real workers may not run here; each skip says what to set.
needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="set REDIS_URL to run a real worker against Redis")
needs_private_redis = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server to run a private Redis"
)
needs_shared_database = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="worker subprocesses must share the test database, which needs PostgreSQL (set DATABASE_URL)",
)
# Every mark of a test whose workers and beat run as subprocesses on a private Redis.
REAL_WORKERS = [pytest.mark.redis, needs_redis, needs_shared_database, needs_private_redis]
