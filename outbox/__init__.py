"""Outgoing notifications: an outbox of rows, a registry of message kinds, a sweep
that claims due rows and a task that sends one row. See docs/reminders.md."""
