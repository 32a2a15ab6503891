"""Days made before online and hybrid days existed could already hold a video link,
which every visitor saw. They now say how people meet: online where the venue has no
address (nobody can come in person), otherwise hybrid, so the link stays with the day
and reaches only the sessions the organiser marks online. Left in person, such a day
could not be saved again ("an in-person day has no video link")."""

from django.db import migrations


def link_days_meet_online(apps, schema_editor):
    SurgeryDay = apps.get_model("surgeries", "SurgeryDay")
    with_link = SurgeryDay.objects.filter(mode="in_person").exclude(online_link="")
    with_link.filter(venue__address="").update(mode="online")
    with_link.update(mode="hybrid")


class Migration(migrations.Migration):
    dependencies = [
        ("surgeries", "0018_bookings_made_for_someone"),
    ]

    operations = [
        migrations.RunPython(link_days_meet_online, migrations.RunPython.noop),
    ]
