"""The campaign mailings move up from notify (issue 13): their tables stay as they are
(``db_table``), only Django's state changes, here (created) and in notify's 0005
(deleted). Their content types are renamed, so that permissions and admin history on
them follow."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def renommer_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for modele in ("envoidemasse", "lotdenvoi"):
        if not ContentType.objects.filter(app_label="envois", model=modele).exists():
            ContentType.objects.filter(app_label="notify", model=modele).update(
                app_label="envois"
            )


def rendre_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for modele in ("envoidemasse", "lotdenvoi"):
        if not ContentType.objects.filter(app_label="notify", model=modele).exists():
            ContentType.objects.filter(app_label="envois", model=modele).update(
                app_label="notify"
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("elections", "0003_calendrier"),
        ("notify", "0004_envois_de_masse"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EnvoiDeMasse",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("nature", models.CharField(choices=[("activation", "Activation des comptes"), ("relance_activation", "Relance : comptes non activés"), ("relance_vote", "Relance : électeurs n'ayant pas encore voté")], max_length=32, verbose_name="nature")),
                        ("jeton", models.CharField(max_length=64, unique=True, verbose_name="jeton de confirmation")),
                        ("lance_le", models.DateTimeField(verbose_name="lancé le")),
                        ("destinataires_prevus", models.PositiveIntegerField(default=0, verbose_name="destinataires prévus")),
                        ("planifie_jusqua", models.BigIntegerField(default=0, verbose_name="planifié jusqu'à l'électeur")),
                        ("planifie_le", models.DateTimeField(blank=True, null=True, verbose_name="planification terminée le")),
                        ("termine_le", models.DateTimeField(blank=True, null=True, verbose_name="terminé le")),
                        ("campagne", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="envois_de_masse", to="elections.campagne", verbose_name="campagne")),
                        ("lance_par", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="envois_lances", to=settings.AUTH_USER_MODEL, verbose_name="lancé par")),
                    ],
                    options={
                        "verbose_name": "envoi de masse",
                        "verbose_name_plural": "envois de masse",
                        "db_table": "notify_envoidemasse",
                        "ordering": ["-lance_le"],
                    },
                ),
                migrations.CreateModel(
                    name="LotDEnvoi",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("numero", models.PositiveIntegerField(verbose_name="numéro")),
                        ("premier", models.BigIntegerField(verbose_name="premier électeur")),
                        ("dernier", models.BigIntegerField(verbose_name="dernier électeur")),
                        ("programme_le", models.DateTimeField(blank=True, null=True, verbose_name="courriels créés le")),
                        ("courriels", models.PositiveIntegerField(default=0, verbose_name="courriels créés")),
                        ("envoi", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="lots", to="envois.envoidemasse", verbose_name="envoi")),
                    ],
                    options={
                        "verbose_name": "lot d'envoi",
                        "verbose_name_plural": "lots d'envoi",
                        "db_table": "notify_lotdenvoi",
                        "ordering": ["envoi", "numero"],
                        "constraints": [models.UniqueConstraint(fields=("envoi", "numero"), name="lot_numero_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(renommer_types, rendre_types, elidable=True),
    ]
