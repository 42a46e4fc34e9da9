from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0001_table_du_cache")]

    operations = [
        migrations.CreateModel(
            name="Compteur",
            fields=[
                (
                    "cle",
                    models.CharField(
                        max_length=100, primary_key=True, serialize=False, verbose_name="clé"
                    ),
                ),
                ("valeur", models.PositiveIntegerField(verbose_name="tentatives")),
                ("expire_le", models.DateTimeField(db_index=True, verbose_name="expire le")),
            ],
            options={
                "verbose_name": "compteur de tentatives",
                "verbose_name_plural": "compteurs de tentatives",
            },
        ),
    ]
