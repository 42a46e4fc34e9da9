"""Whatever is posted to the claim forms: never a server error, and never half a claim (a
claim without its files, a file without its claim)."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings as reglages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isoloir.reclamations.models import PieceJointe, Reclamation
from tests.reclamations.conftest import JPEG, PDF, PNG, Situation

pytestmark = pytest.mark.django_db

TEXTE = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
NOM_DE_FICHIER = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters='"/\\\r\n'),
    min_size=1,
    max_size=30,
).filter(lambda nom: nom.strip() not in ("", ".", ".."))
CONTENU = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([PDF, PNG, JPEG]).flatmap(
        lambda debut: st.binary(max_size=100).map(lambda suite: debut + suite)
    ),
)
FICHIERS = st.lists(st.tuples(NOM_DE_FICHIER, CONTENU), max_size=5)
JETON = st.one_of(st.uuids().map(str), st.sampled_from(["", "pas-un-jeton", "0" * 36]))
DATE = st.one_of(st.dates().map(lambda d: d.isoformat()), TEXTE)


def scrutins(s: Situation) -> st.SearchStrategy:
    return st.sampled_from([str(s.a.pk), str(s.b.pk), str(s.c.pk), "", "0", "x", "-1"])


def coherent() -> None:
    """Each claim has at most 3 files, each file row its file on disk, and the folder no
    file without its row."""
    dossier = Path(reglages.MEDIA_ROOT) / "reclamations"
    sur_disque = {p.name for p in dossier.glob("*")} if dossier.exists() else set()
    enregistres = set(PieceJointe.objects.values_list("fichier", flat=True))
    assert enregistres == sur_disque
    for reclamation in Reclamation.objects.all():
        assert reclamation.pieces.count() <= 3
        assert reclamation.numero >= 1


def poster(client: Client, url: str, champs: dict, fichiers) -> None:
    donnees = {k: v for k, v in champs.items() if v is not None}
    donnees["pieces"] = [SimpleUploadedFile(nom, contenu) for nom, contenu in fichiers]
    avant = Reclamation.objects.count()
    reponse = client.post(url, donnees)
    assert reponse.status_code in (200, 302), reponse.status_code
    apres = Reclamation.objects.count()
    if reponse.status_code == 200:
        assert apres == avant
    else:
        assert apres in (avant, avant + 1)
    coherent()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), fichiers=FICHIERS)
def test_formulaire_de_l_electeur(client: Client, situation: Situation, data, fichiers) -> None:
    client.force_login(situation.electeur.compte)
    champs = {
        "jeton": data.draw(JETON),
        "type": data.draw(st.sampled_from(["omission", "mauvais_scrutin", "identite", "", "x"])),
        "scrutin": data.draw(scrutins(situation)),
        "scrutin_souhaite": data.draw(scrutins(situation)),
        "explication": data.draw(TEXTE),
        "civilite": data.draw(st.sampled_from(["", "Mme", "M.", "Dr"])),
        "nom_naissance": data.draw(TEXTE),
        "prenoms": data.draw(TEXTE),
        "date_naissance": data.draw(DATE),
        "etablissement": data.draw(st.one_of(st.none(), TEXTE)),
    }
    poster(client, "/portail/reclamations/nouvelle/", champs, fichiers)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), fichiers=FICHIERS)
def test_formulaire_sans_compte(client: Client, situation: Situation, data, fichiers) -> None:
    champs = {
        "jeton": data.draw(JETON),
        "civilite": data.draw(st.sampled_from(["", "Mme", "M.", "Dr"])),
        "nom_naissance": data.draw(TEXTE),
        "nom_usage": data.draw(st.one_of(st.none(), TEXTE)),
        "prenoms": data.draw(TEXTE),
        "date_naissance": data.draw(DATE),
        "email": data.draw(st.one_of(st.emails().map(str), TEXTE)),
        "etablissement": data.draw(TEXTE),
        "scrutin": data.draw(scrutins(situation)),
        "explication": data.draw(TEXTE),
        "captcha_0": data.draw(st.sampled_from(["", "cle", uuid.uuid4().hex])),
        "captcha_1": data.draw(st.sampled_from(["PASSED", "", "12345"])),
    }
    poster(client, "/portail/reclamations/sans-compte/", champs, fichiers)
