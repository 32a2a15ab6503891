"""For cron or embedded set-ups without Celery beat: the same job as the `surgeries.feedback_requests` task."""

from django.core.management.base import BaseCommand

from surgeries.afterday_notifications import feedback_requests_schedule


class Command(BaseCommand):
    help = "Schedule the morning-after feedback request for learners of surgery days that just ended."

    def handle(self, *args, **options):
        written = feedback_requests_schedule()
        self.stdout.write(f"Scheduled {written} feedback request(s).")
