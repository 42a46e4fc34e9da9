"""The campaign mailings moved from notify up to envois (issue 13) without losing a row: a
database at notify's 0004, with a mailing, its lot and its mails, migrates forward and
the same rows are read through envois' models; their content type follows, with its
permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from isoloir.accounts.models import Compte
from isoloir.core import horloge
from isoloir.envois.models import EnvoiDeMasse, LotDEnvoi, NatureEnvoi
from isoloir.notify.models import Courriel

AVANT = [("notify", "0004_envois_de_masse"), ("envois", None)]


def _migrer(cibles: list[tuple[str, str | None]]) -> MigrationExecutor:
    executeur = MigrationExecutor(connection)
    executeur.loader.build_graph()
    executeur.migrate(cibles)
    return executeur


@pytest.mark.django_db(transaction=True)
def test_une_base_existante_garde_ses_envois_lots_et_courriels(creer_campagne) -> None:
    campagne = creer_campagne()
    admin = Compte.objects.create_user("admin.elections@education.gouv.fr")
    electeur = Compte.objects.create_user("agent@ac-exemple.fr")
    # A database from before the move: notify owned the models and their content types.
    ContentType.objects.filter(app_label="envois").update(app_label="notify")
    ContentType.objects.clear_cache()
    type_avant = ContentType.objects.get(app_label="notify", model="envoidemasse")
    permissions = set(
        Permission.objects.filter(content_type=type_avant).values_list("pk", flat=True)
    )
    assert permissions

    executeur = _migrer(AVANT)
    assert ("envois", "0001_initial") not in MigrationRecorder(connection).applied_migrations()
    anciens = executeur.loader.project_state(AVANT[0]).apps
    maintenant = horloge.maintenant()
    envoi = anciens.get_model("notify", "EnvoiDeMasse").objects.create(
        campagne_id=campagne.pk,
        nature=NatureEnvoi.RELANCE_ACTIVATION,
        jeton="jeton-d-avant",
        lance_par_id=admin.pk,
        lance_le=maintenant,
        destinataires_prevus=1,
        planifie_jusqua=41,
        planifie_le=maintenant,
    )
    lot = anciens.get_model("notify", "LotDEnvoi").objects.create(
        envoi_id=envoi.pk, numero=1, premier=41, dernier=41, programme_le=maintenant, courriels=1
    )
    courriel = anciens.get_model("notify", "Courriel").objects.create(
        type="relance_activation",
        compte_id=electeur.pk,
        destinataire=electeur.email,
        cree_le=maintenant,
        envoi_id=envoi.pk,
        cle=f"envoi:{envoi.pk}:{electeur.pk}",
    )

    _migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())
    appliquees = MigrationRecorder(connection).applied_migrations()
    assert {("envois", "0001_initial"), ("notify", "0005_envois_vers_l_application_envois")} <= set(
        appliquees
    )

    apres = EnvoiDeMasse.objects.get()
    assert (apres.pk, apres.jeton, apres.campagne_id, apres.lance_par_id) == (
        envoi.pk,
        "jeton-d-avant",
        campagne.pk,
        admin.pk,
    )
    assert (apres.planifie_jusqua, apres.destinataires_prevus) == (41, 1)
    assert list(apres.lots.values_list("pk", "numero", "courriels")) == [(lot.pk, 1, 1)]
    assert list(apres.courriels.values_list("pk", flat=True)) == [courriel.pk]
    assert Courriel.objects.get(pk=courriel.pk).envoi == apres
    ContentType.objects.clear_cache()
    type_apres = ContentType.objects.get_for_model(EnvoiDeMasse)
    assert (type_apres.pk, type_apres.app_label) == (type_avant.pk, "envois")
    assert (
        set(Permission.objects.filter(content_type=type_apres).values_list("pk", flat=True))
        == permissions
    )
    assert not ContentType.objects.filter(app_label="notify", model="envoidemasse").exists()

    # The relations are the database's own: deleting the campaign still takes all along.
    campagne.delete()
    assert not EnvoiDeMasse.objects.exists()
    assert not LotDEnvoi.objects.exists()
    assert not Courriel.objects.filter(pk=courriel.pk).exists()
