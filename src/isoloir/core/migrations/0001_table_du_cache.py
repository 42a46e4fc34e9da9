"""Creates the cache table used by default (``dbcache``), so that ``migrate`` alone
prepares a working instance. A no-op when the cache is Redis."""

from django.core.management import call_command
from django.db import migrations


def creer_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(creer_table, migrations.RunPython.noop)]
