"""Load realistic demo data. Safe to run again: it updates rather than duplicates."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.afterday import seed_after_the_day
from demo.afterday_workshops import seed_past_workshops
from demo.people import DEMO_PASSWORD, seed_people
from demo.surgeries import seed_surgery_days
from demo.workshops import seed_workshops


class Command(BaseCommand):
    help = "Create or refresh the demo organisation, people and surgery days, and print the demo log-ins."

    @transaction.atomic
    def handle(self, *args, **options):
        organisation, people = seed_people()
        days = seed_surgery_days(organisation=organisation)
        seed_workshops(organisation=organisation, days=days)
        seed_past_workshops(day=seed_after_the_day(organisation=organisation))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {organisation.name}, {len(days)} surgery day(s)."))
        self.stdout.write(f"Every demo account uses the password: {DEMO_PASSWORD}")
        for person in people:
            self.stdout.write(f"  {person.email:<34} {person.display_name} ({person.demo_role})")
