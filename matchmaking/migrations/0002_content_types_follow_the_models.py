"""Admin log entries, permissions and outbox subjects point at content types: the existing
rows for the moved models change app label instead of new ones being made next to them."""

from django.db import migrations

MODELS = ("matchproposal", "matchrequest", "proposedpair", "requestpreference", "requesttopic", "requestwindow")


def _relabel(apps, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # A database made after the move has only the new rows (or none yet): nothing to carry over.
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, old="surgeries", new="matchmaking")


def backwards(apps, schema_editor):
    _relabel(apps, old="matchmaking", new="surgeries")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("matchmaking", "0001_moved_from_surgeries"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
