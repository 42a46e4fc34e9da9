"""The TOTP secrets are encrypted at rest (issue 12, point 26): the proxy through which
Isoloir reads them, and the rows written in clear before it encrypted under the current
key (ISOLOIR_CLE_SECOND_FACTEUR). Idempotent both ways: rows already encrypted, or already
in clear on the way back, are left alone."""

from django.db import migrations

from isoloir.accounts.chiffrement_totp import Bilan, rechiffrer_les_secrets, remettre_en_clair


def chiffrer_les_secrets(apps, schema_editor) -> Bilan:
    modele = apps.get_model("otp_totp", "TOTPDevice")
    return rechiffrer_les_secrets(modele, base=schema_editor.connection.alias)


def dechiffrer_les_secrets(apps, schema_editor) -> int:
    modele = apps.get_model("otp_totp", "TOTPDevice")
    return remettre_en_clair(modele, base=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_nom_tri'),
        ('otp_totp', '0003_add_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='AppareilTOTP',
            fields=[
            ],
            options={
                'verbose_name': "application d'authentification",
                'verbose_name_plural': "applications d'authentification",
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('otp_totp.totpdevice',),
        ),
        migrations.RunPython(chiffrer_les_secrets, dechiffrer_les_secrets),
    ]
