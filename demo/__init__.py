"""Demo data for development (`manage.py seed_demo`): it sits on top of every other app
and no app imports it (the stack and upgrade tests use `demo.databases`)."""
