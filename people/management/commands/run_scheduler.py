"""The embedded scheduler: without Redis there is no Celery beat, so `make run`
starts this beside the web server to sweep the outbox every so often."""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from people.notifications.sweep import send_inline, sweep_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send due notifications every NOTIFICATION_SWEEP_SECONDS until stopped (development without Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=settings.NOTIFICATION_SWEEP_SECONDS)

    def handle(self, *args, interval: int, **options):
        self.stdout.write(f"Sending due notifications every {interval} s. Stop with Ctrl-C.")
        try:
            while True:
                self._sweep_once()
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Scheduler stopped.")

    def _sweep_once(self) -> None:
        close_old_connections()
        try:
            sweep_due(dispatch=send_inline)
        except Exception:
            # A database hiccup must not end the loop; the rows wait for the next sweep.
            logger.exception("Notification sweep failed; trying again next time.")
