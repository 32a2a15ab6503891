"""For cron or embedded set-ups without Celery beat: the same job as the `surgeries.retention` task."""

from django.core.management.base import BaseCommand

from afterday.services import retention_run


class Command(BaseCommand):
    help = "Delete no-show marks and booking notes of surgery days that ended more than RETENTION_DAYS ago."

    def handle(self, *args, **options):
        purged = retention_run()
        self.stdout.write(f"Purged short-lived personal data of {purged} surgery day(s).")
