"""Indexes that serve the helpdesk's prefix searches over 1.4 million voters, on PostgreSQL.

Django writes ``nom_naissance__istartswith='dup'`` as ``UPPER("nom_naissance"::text) LIKE
UPPER('dup%')``: only an index on that very expression, with ``text_pattern_ops`` (so that
LIKE can use it whatever the database's collation), serves it. The address search uses
the ``_like`` index Django already gives the unique ``accounts_compte.email``. SQLite (demo
and tests) gets none: its tables are small.
"""

from django.db import migrations

COLONNES = ("nom_naissance", "nom_usage", "etablissement")


def creer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for colonne in COLONNES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS assistance_electeur_{colonne}_prefixe "
            f"ON accounts_electeur (UPPER({colonne}::text) text_pattern_ops)"
        )


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for colonne in COLONNES:
        schema_editor.execute(f"DROP INDEX IF EXISTS assistance_electeur_{colonne}_prefixe")


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(creer, supprimer, elidable=False)]
