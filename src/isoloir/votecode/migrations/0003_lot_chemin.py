"""Batches record where their file was written (``chemin``), so that a later change of the
campaign's slug no longer sends downloads and destructions to a folder that does not hold
the file; and whether a destruction found no file (``introuvable``)."""

from django.db import migrations, models


def chemins_actuels(apps, schema_editor):
    # The path the code derived until now: <slug>/<file>, under DATA_DIR/notices.
    LotDeNotices = apps.get_model("votecode", "LotDeNotices")
    lots = LotDeNotices.objects.select_related("campagne").filter(chemin="")
    for lot in lots.iterator(chunk_size=2000):
        lot.chemin = f"{lot.campagne.slug}/{lot.fichier}"
        lot.save(update_fields=["chemin"])


class Migration(migrations.Migration):
    dependencies = [
        ("votecode", "0002_notices_remises"),
    ]

    operations = [
        migrations.AddField(
            model_name="lotdenotices",
            name="chemin",
            field=models.CharField(default="", max_length=400, verbose_name="chemin du fichier"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="lotdenotices",
            name="introuvable",
            field=models.BooleanField(
                default=False, verbose_name="fichier introuvable à la destruction"
            ),
        ),
        migrations.RunPython(chemins_actuels, migrations.RunPython.noop),
    ]
