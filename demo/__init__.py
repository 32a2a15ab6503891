"""Demo data for development (`manage.py seed_demo`): it sits on top of every other app and nothing imports it."""
