"""The single-use link mechanism shared by activation, password reset and réassort."""

from datetime import timedelta

import pytest
from django.db import transaction

from isoloir.core import horloge
from isoloir.links import services as liens
from isoloir.links.models import LienUsageUnique, Usage
from tests.concurrence import en_meme_temps


@pytest.fixture
def compte(creer_electeur):
    return creer_electeur().compte


@pytest.mark.django_db
def test_le_jeton_fait_au_moins_128_bits_et_n_est_stocke_que_hache(compte) -> None:
    lien, jeton = liens.emettre(
        usage=Usage.ACTIVATION, compte_id=compte.pk, duree=timedelta(hours=1)
    )
    assert len(jeton) >= 43  # 32 octets en base64 urlsafe
    lien.refresh_from_db()
    assert jeton not in str(LienUsageUnique.objects.filter(pk=lien.pk).values().get())
    assert lien.empreinte_jeton == liens.empreinte(jeton)


@pytest.mark.django_db
def test_consulter_ne_consomme_pas_et_consommer_une_seule_fois(compte) -> None:
    _, jeton = liens.emettre(usage=Usage.ACTIVATION, compte_id=compte.pk, duree=timedelta(hours=1))
    assert liens.consulter(usage=Usage.ACTIVATION, jeton=jeton).compte == compte
    assert liens.consulter(usage=Usage.ACTIVATION, jeton=jeton).utilise_le is None
    with transaction.atomic():
        liens.consommer(usage=Usage.ACTIVATION, jeton=jeton)
    with pytest.raises(liens.LienDejaUtilise), transaction.atomic():
        liens.consommer(usage=Usage.ACTIVATION, jeton=jeton)
    with pytest.raises(liens.LienDejaUtilise):
        liens.consulter(usage=Usage.ACTIVATION, jeton=jeton)


@pytest.mark.django_db
def test_un_lien_expire(compte) -> None:
    _, jeton = liens.emettre(
        usage=Usage.ACTIVATION, compte_id=compte.pk, duree=timedelta(minutes=10)
    )
    with horloge.decalee_de(timedelta(minutes=10, seconds=1)), pytest.raises(liens.LienExpire):
        liens.consulter(usage=Usage.ACTIVATION, jeton=jeton)


@pytest.mark.django_db
def test_un_nouveau_lien_remplace_les_anciens_du_meme_usage(compte) -> None:
    _, ancien = liens.emettre(
        usage=Usage.MOT_DE_PASSE, compte_id=compte.pk, duree=timedelta(hours=1)
    )
    _, autre_usage = liens.emettre(
        usage=Usage.ACTIVATION, compte_id=compte.pk, duree=timedelta(hours=1)
    )
    _, nouveau = liens.emettre(
        usage=Usage.MOT_DE_PASSE, compte_id=compte.pk, duree=timedelta(hours=1)
    )
    with pytest.raises(liens.LienRemplace):
        liens.consulter(usage=Usage.MOT_DE_PASSE, jeton=ancien)
    assert liens.consulter(usage=Usage.MOT_DE_PASSE, jeton=nouveau)
    assert liens.consulter(usage=Usage.ACTIVATION, jeton=autre_usage)


@pytest.mark.django_db
@pytest.mark.parametrize("jeton", ["", "x", "a" * 5000, "../../etc/passwd"])
def test_jetons_inconnus_ou_absurdes(compte, jeton: str) -> None:
    with pytest.raises(liens.LienInconnu):
        liens.consulter(usage=Usage.ACTIVATION, jeton=jeton)


@pytest.mark.django_db
def test_un_jeton_ne_sert_pas_pour_un_autre_usage(compte) -> None:
    _, jeton = liens.emettre(usage=Usage.ACTIVATION, compte_id=compte.pk, duree=timedelta(hours=1))
    with pytest.raises(liens.LienInconnu):
        liens.consulter(usage=Usage.MOT_DE_PASSE, jeton=jeton)


@pytest.mark.django_db(transaction=True)
def test_consommer_hors_transaction_est_refuse(creer_electeur) -> None:
    compte = creer_electeur().compte
    _, jeton = liens.emettre(usage=Usage.ACTIVATION, compte_id=compte.pk, duree=timedelta(hours=1))
    with pytest.raises(RuntimeError):
        liens.consommer(usage=Usage.ACTIVATION, jeton=jeton)
    assert liens.consulter(usage=Usage.ACTIVATION, jeton=jeton).utilise_le is None


@pytest.mark.django_db(transaction=True)
def test_deux_utilisations_simultanees_un_seul_succes(creer_electeur) -> None:
    compte = creer_electeur().compte
    _, jeton = liens.emettre(usage=Usage.ACTIVATION, compte_id=compte.pk, duree=timedelta(hours=1))

    def utiliser(_: int) -> str:
        with transaction.atomic():
            liens.consommer(usage=Usage.ACTIVATION, jeton=jeton)
        return "ok"

    resultats = [
        "deja" if isinstance(r, liens.LienDejaUtilise) else r
        for r in en_meme_temps(utiliser, range(2))
    ]
    assert sorted(resultats) == ["deja", "ok"]
