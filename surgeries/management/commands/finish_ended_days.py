"""For cron or embedded set-ups without Celery beat: the same job as the `surgeries.finish_days` task."""

from django.core.management.base import BaseCommand

from surgeries.services import days_finish_ended


class Command(BaseCommand):
    help = "Mark published surgery days that have ended as finished."

    def handle(self, *args, **options):
        finished = days_finish_ended()
        self.stdout.write(f"Finished {finished} surgery day(s).")
