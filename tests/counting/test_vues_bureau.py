"""The bureau's screens as a server sees them: only members, after their second factor,
only on their own bureau; président-only operations; and whatever a browser posts, a
French message and nothing written, never an error page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from isoloir.counting.models import BureauDeVote, CeremonieDesCles, MessageDeCeremonie, Role
from tests.counting.conftest import nouveau_compte
from tests.scrutin_de_vote import URNE_ET_DEFAUT
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)


def _messages(reponse) -> list[str]:
    """The messages waiting for the next page (the test does not follow redirects, so
    they pile up: the last one is this response's)."""
    return [str(m) for m in get_messages(reponse.wsgi_request)]


def _membre(client, bureau, role: str, **filtre):
    membre = bureau.membres.filter(role=role, **filtre).select_related("compte").first()
    verifier_second_facteur(client, membre.compte)
    return membre


def test_seuls_les_membres_du_bureau_et_apres_le_second_facteur(client, bureau, scrutin) -> None:
    adresses = [
        reverse("counting:bureau", args=[bureau.pk]),
        reverse("counting:ceremonie", args=[bureau.pk]),
        reverse("counting:scellement", args=[bureau.pk]),
        reverse("counting:depouillement", args=[bureau.pk, scrutin.pk]),
    ]
    # Password only: sent to the second factor first.
    client.force_login(bureau.membres.get(role=Role.PRESIDENT).compte)
    for adresse in adresses:
        assert "/second-facteur/" in client.get(adresse)["Location"]
    # Someone from another bureau: refused.
    autre = BureauDeVote.objects.create(campagne=scrutin.campagne, nom="Autre bureau")
    etranger = nouveau_compte("etranger")
    autre.membres.create(compte=etranger, role=Role.PRESIDENT)
    verifier_second_facteur(client, etranger)
    for adresse in adresses:
        assert client.get(adresse).status_code == 403
    # A member: every screen, with its heading.
    _membre(client, bureau, Role.SECRETAIRE)
    for adresse in adresses:
        assert client.get(adresse).status_code == 200, adresse
    # A scrutin that is not the bureau's: not found.
    assert client.get(reverse("counting:depouillement", args=[bureau.pk, 10**6])).status_code == 404


def test_operations_du_president_seulement(client, bureau) -> None:
    _membre(client, bureau, Role.DELEGUE, liste__sigle="FSU")
    reponse = client.post(reverse("counting:ouvrir_ceremonie", args=[bureau.pk]))
    assert reponse.status_code == 302
    assert _messages(reponse) == ["Seul le président du bureau peut faire cette opération."]
    assert not CeremonieDesCles.objects.exists()


@pytest.mark.parametrize(
    "donnees",
    ["", "pas du json", "[]", "{}", '{"cle": "zz"}', '{"cle": "' + "00" * 32 + '"}', "null"],
)
def test_un_message_illisible_est_refuse_en_francais(client, bureau, donnees) -> None:
    _membre(client, bureau, Role.PRESIDENT)
    client.post(reverse("counting:ouvrir_ceremonie", args=[bureau.pk]))
    adresse = reverse("counting:ceremonie", args=[bureau.pk])
    for etape in ("communication", "distribution", "reception", "autre"):
        reponse = client.post(adresse, {"etape": etape, "donnees": donnees})
        assert reponse.status_code == 302
        message = _messages(reponse)[-1]
        assert message and message[0].isupper() and message.endswith((".", "»", ")")), message
    assert not MessageDeCeremonie.objects.exists()
    for adresse, action in [
        (reverse("counting:scellement", args=[bureau.pk]), "signer"),
        (
            reverse(
                "counting:depouillement", args=[bureau.pk, bureau.rattachements.get().scrutin_id]
            ),
            "part",
        ),
    ]:
        reponse = client.post(adresse, {"action": action, "donnees": donnees})
        assert reponse.status_code == 302
        assert _messages(reponse)[-1][0].isupper()


def test_apres_le_resultat_le_tableau_de_bord_mene_aux_resultats(
    client, bureau, scrutin, creer_electeur
) -> None:
    """Issue 12, item 12: once counted, the dashboard no longer shows the pre-count
    "Prochaine opération", and links to the results."""
    from tests.counting.resultats import depouiller

    depouiller(bureau, scrutin, creer_electeur, [0, 1, 2])
    _membre(client, bureau, Role.SECRETAIRE)
    page = client.get(reverse("counting:bureau", args=[bureau.pk])).content.decode()
    assert "Prochaine opération" not in page
    assert "<h2>Résultats</h2>" in page
    resultats = reverse("counting:resultats", args=[scrutin.campagne.slug, scrutin.code])
    assert f'href="{resultats}"' in page
    # Issue 12, item 9: and to the campaign's published results, the bureau's archive there.
    assert f'href="{reverse("counting:publication", args=[scrutin.campagne.slug])}"' in page
