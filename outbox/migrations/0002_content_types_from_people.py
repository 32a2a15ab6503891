# Admin log entries and permissions point at ContentType rows: rename the existing
# rows to the new app label rather than let new ones be made beside them.

from django.db import migrations

MODELS = ("notification", "notificationpreference", "sweepheartbeat")


def _relabel(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not rows.filter(app_label=new, model=model).exists():
            rows.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="people", new="outbox")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="outbox", new="people")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("outbox", "0001_moved_from_people"),
        ("people", "0006_outbox_moved_out"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
