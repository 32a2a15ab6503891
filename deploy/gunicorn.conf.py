"""gunicorn settings for Surgery Day: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Read from the environment like the Django settings, so one file serves every
instance: systemd's `surgeryday-web@<port>.service` sets GUNICORN_BIND per port.
"""

import sys
from pathlib import Path

# gunicorn reads this file before it imports the project; the typed readers live there.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.env import env_int, env_str
from config.metrics import gunicorn_child_exit

bind = [env_str("GUNICORN_BIND", f"{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000, minimum=1)}")]
# Two or three per core is usual; the requests wait mostly on PostgreSQL.
workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
# A request still running after this long is stuck: its worker is replaced.
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
# On SIGTERM (a restart), requests in flight get this long to finish.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 20, minimum=1)
# nginx keeps connections to us open; keep ours open a little longer than its idle time.
keepalive = 75
# Replacing workers now and then bounds any slow leak, staggered so they do not restart together.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same host; X-Forwarded-Proto and -For are trusted only from it.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

accesslog = "-"
errorlog = "-"
# The path without its query string (%(U)s, not %(r)s), and no referrer: both can carry
# search terms, email addresses or tokens. Client address as nginx saw it.
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'


# Prometheus multiprocess mode (PROMETHEUS_MULTIPROC_DIR): a dead worker's live gauges are dropped.
child_exit = gunicorn_child_exit
