"""What the outbox tells the apps above it.

`scheduler_pass` is sent by `run_scheduler` (the embedded scheduler of `make run`,
where there is no broker and tasks run in-process) every couple of seconds. An app
whose work would be a queued task with a broker, but must not run inside the web
request without one, leaves a row saying what is waiting and does it in a receiver
here: in the background, soon after it was asked for. Receivers must be quick to
return when nothing is waiting, and idempotent.
"""

from django.dispatch import Signal

scheduler_pass = Signal()
