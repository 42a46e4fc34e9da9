"""The campaign mailings move up to their own application, isoloir.envois (issue 13):
state only, their tables and rows stay (see envois' 0001). A mail keeps its mailing."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("envois", "0001_initial"),
        ("notify", "0004_envois_de_masse"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="courriel",
                    name="envoi",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="courriels", to="envois.envoidemasse", verbose_name="envoi de masse"),
                ),
                migrations.DeleteModel(name="LotDEnvoi"),
                migrations.DeleteModel(name="EnvoiDeMasse"),
            ],
            database_operations=[],
        ),
    ]
