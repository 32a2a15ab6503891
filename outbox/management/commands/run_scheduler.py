"""The embedded scheduler: without Redis there is no Celery beat, so `make run`
starts this beside the web server. It sweeps the outbox every so often, runs
the other periodic jobs of the one beat schedule (`config/celery.py`) in-process,
each at its own interval, and every couple of seconds sends `scheduler_pass`, so
the apps do the background work that was asked for (a matchmaking confirmation)
here rather than in a web request."""

import logging
import time
from datetime import timedelta

# The project's Celery app (config/celery.py), reached as Celery's current app so this
# app need not import config, which sits above every app.
from celery import current_app as app
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from outbox.signals import scheduler_pass
from outbox.sweep import send_inline, sweep_due

# The outbox sweep runs every `--interval` seconds, with sending done right here.
SWEEP_TASK = "people.notifications.sweep"

# How often the loop wakes: background work asked for in a request starts within this.
PASS_SECONDS = 2

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send due notifications every NOTIFICATION_SWEEP_SECONDS until stopped (development without Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=settings.NOTIFICATION_SWEEP_SECONDS)

    def handle(self, *args, interval: int, **options):
        # A worker or beat imports every app's tasks module when it starts; this command
        # must do the same, or a periodic job whose module nothing else imported is unknown here.
        app.loader.import_default_modules()
        self.stdout.write(f"Sending due notifications every {interval} s. Stop with Ctrl-C.")
        last_run: dict[str, float] = {}
        last_sweep: float | None = None
        try:
            while True:
                if last_sweep is None or time.monotonic() - last_sweep >= interval:
                    last_sweep = time.monotonic()
                    self._sweep_once()
                self._run_other_jobs(last_run)
                self._pass()
                time.sleep(min(interval, PASS_SECONDS))
        except KeyboardInterrupt:
            self.stdout.write("Scheduler stopped.")

    def _sweep_once(self) -> None:
        close_old_connections()
        try:
            sweep_due(dispatch=send_inline)
        except Exception:
            # A database hiccup must not end the loop; the rows wait for the next sweep.
            logger.exception("Notification sweep failed; trying again next time.")

    def _pass(self) -> None:
        close_old_connections()
        for receiver, outcome in scheduler_pass.send_robust(sender=self.__class__):
            if isinstance(outcome, Exception):
                logger.error(
                    "Background work in %s failed; it is tried again on the next pass.", receiver, exc_info=outcome
                )

    def _run_other_jobs(self, last_run: dict[str, float]) -> None:
        """Run each other beat entry whose interval has passed since it last ran here."""
        now = time.monotonic()
        for name, entry in app.conf.beat_schedule.items():
            every = entry["schedule"]
            if entry["task"] == SWEEP_TASK or not isinstance(every, timedelta):
                continue
            if name in last_run and now - last_run[name] < every.total_seconds():
                continue
            last_run[name] = now
            close_old_connections()
            try:
                app.tasks[entry["task"]].apply()
            except Exception:
                logger.exception("Periodic job %s failed; it runs again at its next interval.", name)
