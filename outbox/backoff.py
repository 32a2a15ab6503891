"""Per-recipient-domain back-off for slow mail servers.

A mail server that stalls (it accepts the connection, then answers nothing) holds a
worker slot for the whole SMTP timeout. After one timeout to a domain, later
messages to it are postponed for NOTIFICATION_DOMAIN_BACKOFF_SECONDS without
connecting, so a few stalled mailboxes cannot slow everyone else down. The marks
live in the cache (Redis in production, so every worker sees them); losing them
only means one more timeout.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache

_KEY = "notifications:slow-domain:{}"


def recipient_domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def domain_back_off(*, domain: str) -> None:
    seconds = settings.NOTIFICATION_DOMAIN_BACKOFF_SECONDS
    cache.set(_KEY.format(domain), time.time() + seconds, timeout=seconds)


def domain_wait_seconds(*, domain: str) -> int:
    """Seconds until mail to `domain` may be tried again; 0 if it is not backed off."""
    until = cache.get(_KEY.format(domain))
    remaining = 0.0 if until is None else until - time.time()
    return math.ceil(remaining) if remaining > 0 else 0
