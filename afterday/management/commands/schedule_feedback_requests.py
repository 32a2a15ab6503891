"""For cron or embedded set-ups without Celery beat: the same job as the `surgeries.feedback_requests` task.

It asks learners and workshop participants alike.
"""

from django.core.management.base import BaseCommand

from afterday.notifications import feedback_requests_schedule


class Command(BaseCommand):
    help = (
        "Schedule the morning-after feedback requests for learners and workshop participants of days that just ended."
    )

    def handle(self, *args, **options):
        written = feedback_requests_schedule()
        self.stdout.write(f"Scheduled {written} feedback request(s).")
