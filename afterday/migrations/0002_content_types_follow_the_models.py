"""Admin log entries, permissions and outbox subjects point at content types: the existing
rows for the moved models change app label instead of new ones being made next to them."""

from django.db import migrations

MOVED = {"surgeries": ("feedback", "sessionnote"), "workshops": ("workshopfeedback",)}


def _relabel(apps, *, old: str, new: str, models: tuple[str, ...]) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        # A database made after the move has only the new rows (or none yet): nothing to carry over.
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    for app_label, models in MOVED.items():
        _relabel(apps, old=app_label, new="afterday", models=models)


def backwards(apps, schema_editor):
    for app_label, models in MOVED.items():
        _relabel(apps, old="afterday", new=app_label, models=models)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("afterday", "0001_moved_from_surgeries_and_workshops"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
