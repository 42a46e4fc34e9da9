"""One action per displayed form (core.soumission): the key, the form that carries it, and
the rule that a key already used returns the first result instead of acting again."""

import uuid

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.http import QueryDict

from isoloir.core import soumission
from tests.concurrence import en_meme_temps

# --- The key ----------------------------------------------------------------------------


def test_chaque_affichage_tire_une_nouvelle_cle() -> None:
    cles = {soumission.nouvelle_cle() for _ in range(1000)}
    assert len(cles) == 1000
    assert all(cle.version == 4 for cle in cles)


@pytest.mark.parametrize(
    "valeur",
    [
        "0b5c1a8e-7f0e-4f55-9d3a-2a1f3c9e6b10",
        "0B5C1A8E-7F0E-4F55-9D3A-2A1F3C9E6B10",
        "urn:uuid:0b5c1a8e-7f0e-4f55-9d3a-2a1f3c9e6b10",
        uuid.UUID("0b5c1a8e-7f0e-4f55-9d3a-2a1f3c9e6b10"),
    ],
)
def test_cle_lue(valeur: object) -> None:
    assert soumission.lire_cle(valeur) == uuid.UUID("0b5c1a8e-7f0e-4f55-9d3a-2a1f3c9e6b10")


@pytest.mark.parametrize("valeur", [None, "", "x", "pas-une-cle", "0" * 36, "a" * 500, 12, b"x"])
def test_cle_illisible(valeur: object) -> None:
    assert soumission.lire_cle(valeur) is None


# --- The form that carries it -----------------------------------------------------------


class Demande(soumission.FormulaireACle):
    champ_cle = "jeton"
    texte = forms.CharField()
    choix = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)


class DemandeQuiPasse(Demande):
    cle_illisible = None


def test_le_formulaire_affiche_porte_une_nouvelle_cle() -> None:
    premier, second = Demande(), Demande()
    cle = premier["jeton"].value()
    assert soumission.lire_cle(cle) is not None and cle != second["jeton"].value()
    html = str(premier["jeton"])
    assert f'<input type="hidden" name="jeton" value="{cle}"' in html
    # First of the fields: the templates render it right after the CSRF token.
    assert next(iter(premier.fields)) == "jeton"


def test_une_cle_donnee_par_la_vue_est_gardee() -> None:
    cle = soumission.nouvelle_cle()
    assert Demande(initial={"jeton": cle, "texte": "x"})["jeton"].value() == str(cle)


def test_la_cle_postee_est_lue() -> None:
    cle = soumission.nouvelle_cle()
    form = Demande({"jeton": str(cle), "texte": "bonjour"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["jeton"] == cle


@pytest.mark.parametrize("posee", [None, "", "pas-une-cle", "y" * 500])
def test_une_cle_illisible_refuse_le_formulaire_et_en_donne_une_nouvelle(
    posee: str | None,
) -> None:
    donnees = {"texte": ""} if posee is None else {"jeton": posee, "texte": ""}
    form = Demande(donnees)
    assert not form.is_valid()
    assert form.non_field_errors() == [soumission.FORMULAIRE_EXPIRE]
    # The other fields are checked as usual, and the page shown again carries a new key.
    assert form.errors["texte"] == ["Ce champ est obligatoire."]
    assert "jeton" not in form.errors
    assert soumission.lire_cle(form["jeton"].value()) is not None
    assert donnees.get("jeton") == posee  # the caller's data is left alone


def test_une_cle_illisible_passe_si_le_formulaire_le_dit() -> None:
    form = DemandeQuiPasse({"jeton": "abc", "texte": "bonjour"})
    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["jeton"], uuid.UUID)


def test_la_nouvelle_cle_garde_les_valeurs_multiples() -> None:
    form = Demande(QueryDict("jeton=abc&texte=x&choix=a&choix=b"))
    assert not form.is_valid()
    assert form.cleaned_data["choix"] == ["a", "b"]


# --- One action per key -----------------------------------------------------------------


class Refus(Exception):
    pass


def _retrouver(nom: str, *, a_moi: bool = True):
    def retrouver() -> Group | None:
        deja = Group.objects.filter(name=nom).first()
        if deja is not None and not a_moi:
            raise Refus(soumission.FORMULAIRE_EXPIRE)
        return deja

    return retrouver


def _creer(nom: str, actions: list[str]):
    def agir() -> Group:
        actions.append(nom)
        with transaction.atomic():
            return Group.objects.create(name=nom)

    return agir


@pytest.mark.django_db
def test_une_cle_neuve_agit_une_cle_deja_utilisee_rend_le_premier_resultat() -> None:
    cle, actions = str(soumission.nouvelle_cle()), []
    premier = soumission.une_seule_fois(retrouver=_retrouver(cle), agir=_creer(cle, actions))
    second = soumission.une_seule_fois(retrouver=_retrouver(cle), agir=_creer(cle, actions))
    assert premier.premiere and not second.premiere
    assert second.resultat == premier.resultat
    assert actions == [cle]
    assert Group.objects.filter(name=cle).count() == 1


@pytest.mark.django_db
def test_une_cle_d_un_autre_est_refusee_par_le_service() -> None:
    cle = str(soumission.nouvelle_cle())
    soumission.une_seule_fois(retrouver=_retrouver(cle), agir=_creer(cle, []))
    with pytest.raises(Refus, match="expiré"):
        soumission.une_seule_fois(retrouver=_retrouver(cle, a_moi=False), agir=_creer(cle, []))


@pytest.mark.django_db
def test_l_insertion_refusee_rend_le_resultat_de_l_autre_envoi() -> None:
    """The other post inserted between our look-up and our insert: the unique column refuses
    ours, rolled back, and the look-up finds theirs."""
    cle = str(soumission.nouvelle_cle())
    autre = Group.objects.create(name=cle)
    vues = iter([None, autre])
    resultat = soumission.une_seule_fois(retrouver=lambda: next(vues), agir=_creer(cle, []))
    assert resultat == soumission.Soumission(autre, premiere=False)
    assert Group.objects.filter(name=cle).count() == 1


@pytest.mark.django_db
def test_deja_soumis_sous_le_verrou_rend_le_premier_resultat() -> None:
    cle = str(soumission.nouvelle_cle())
    autre = Group.objects.create(name=cle)
    vues = iter([None, autre])

    def agir() -> Group:
        with transaction.atomic():
            Group.objects.create(name="écrit puis défait")
            raise soumission.DejaSoumis("jeton")

    resultat = soumission.une_seule_fois(retrouver=lambda: next(vues), agir=agir)
    assert resultat == soumission.Soumission(autre, premiere=False)
    assert not Group.objects.filter(name="écrit puis défait").exists()


@pytest.mark.django_db
def test_un_autre_conflit_n_est_pas_cache() -> None:
    Group.objects.create(name="pris")

    def agir() -> Group:
        with transaction.atomic():
            return Group.objects.create(name="pris")

    with pytest.raises(IntegrityError):
        soumission.une_seule_fois(retrouver=lambda: None, agir=agir)


@pytest.mark.django_db(transaction=True)
def test_le_meme_formulaire_envoye_en_meme_temps_agit_une_fois() -> None:
    cle, actions = str(soumission.nouvelle_cle()), []

    def envoyer(_: int) -> soumission.Soumission[Group]:
        return soumission.une_seule_fois(retrouver=_retrouver(cle), agir=_creer(cle, actions))

    resultats = en_meme_temps(envoyer, range(4))
    assert all(isinstance(r, soumission.Soumission) for r in resultats), resultats
    assert len({r.resultat.pk for r in resultats}) == 1
    assert sum(r.premiere for r in resultats) == 1
    assert Group.objects.filter(name=cle).count() == 1
