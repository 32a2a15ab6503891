"""One sweep, sending in this process. For cron, or to flush the outbox by hand."""

from django.core.management.base import BaseCommand

from outbox.sweep import send_inline, sweep_due


class Command(BaseCommand):
    help = "Send every notification that is due now, in this process, then exit."

    def handle(self, *args, **options):
        claimed = sweep_due(dispatch=send_inline)
        self.stdout.write(f"Handled {claimed} due notification(s).")
