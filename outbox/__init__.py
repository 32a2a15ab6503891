"""Outgoing notifications: an outbox of rows, the message kinds each app declares,
a sweep that claims due rows and a task that sends one row. See docs/reminders.md."""
