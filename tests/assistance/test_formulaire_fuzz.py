"""The code-shape detector and a fuzz of the request form: any input gives a valid form
or French errors, never a crash, never a code de vote stored."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isoloir.assistance import detection, services
from isoloir.assistance.forms import DemandeForm
from isoloir.assistance.models import Categorie, DemandeAssistance
from isoloir.core import soumission
from isoloir.votecode import code

codes = st.text(alphabet=code.ALPHABET, min_size=code.LONGUEUR, max_size=code.LONGUEUR).filter(
    lambda c: detection._a_la_forme(c)
)
# Text around the code, cut from it by a blank or a character outside the code's alphabet.
entourage = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(code.ALPHABET), max_size=6).map(" ".join),  # "a b c" glued
)


@settings(max_examples=300, deadline=None)
@given(
    secret=codes,
    avant=entourage,
    apres=entourage,
    forme=st.sampled_from(["brut", "espace", "groupes", "colle"]),
)
def test_un_code_est_toujours_reconnu(secret: str, avant: str, apres: str, forme: str) -> None:
    ecrit = {
        "brut": secret,
        "colle": f"moncodedevote:{secret}",
        "espace": " ".join(secret),
        "groupes": " ".join(secret[i : i + 4] for i in range(0, 16, 4)),
    }[forme]
    assert detection.contient_un_code(f"{avant} {ecrit} {apres}")


@pytest.mark.parametrize(
    "texte",
    [
        "Bonjour, je n'ai pas reçu mon lien d'activation. Pouvez-vous m'aider ?",
        "Je ne peux pas voter 2 fois ! Pourquoi ?",
        "Mon adresse est agent12345@ac-lyon.fr, merci de me répondre.",
        "Voir https://portail.exemple.fr/portail/vote/code/?a=1&b=2 (erreur 500).",
        "Né le 04/05/1977 à Lyon (69123), joignable au 06 12 34 56 78 de 8h à 18h.",
        "Je suis au CSA n° 3 et à la CAP des certifiés (corps 2026-B).",
    ],
)
def test_phrases_ordinaires_acceptees(texte: str) -> None:
    assert not detection.contient_un_code(texte)
    assert not detection.contient_un_numen(texte)


@pytest.mark.parametrize(
    "texte", ["01E9501234ABC", "NUMEN : 01 E 95 01234 ABC.", "numen=01e9501234abc"]
)
def test_numen_reconnu(texte: str) -> None:
    assert detection.contient_un_numen(texte)


champ = st.one_of(st.text(max_size=200), st.text(alphabet=code.ALPHABET + " ", max_size=60))


@pytest.mark.django_db
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    nom=champ,
    email=st.one_of(st.emails(), st.text(max_size=80)),
    telephone=champ,
    categorie=st.one_of(st.sampled_from(Categorie.values), st.text(max_size=20)),
    message=st.one_of(champ, st.text(max_size=3100)),
    secret=st.one_of(st.none(), codes),
)
def test_formulaire_quelconque(nom, email, telephone, categorie, message, secret) -> None:
    if secret is not None:
        message = f"{message} {secret}"
    form = DemandeForm(
        {
            "cle": soumission.nouvelle_cle(),
            "nom": nom,
            "email": email,
            "telephone": telephone,
            "categorie": categorie,
            "message": message,
        },
        anonyme=False,
    )
    if not form.is_valid():
        assert form.errors
        for erreurs in form.errors.values():
            assert all(isinstance(e, str) and e for e in erreurs)
        if secret is not None:
            assert any(
                # Refused before the secret is even looked for: too long, or a NUL byte.
                "code de vote" in e or "NUMEN" in e or "caractère" in e
                for e in form.errors["message"]
            )
        return
    assert secret is None or not detection.contient_un_code(form.cleaned_data["message"])
    depot = services.deposer(
        cle=form.cleaned_data["cle"],
        nom=form.cleaned_data["nom"],
        email=form.cleaned_data["email"],
        telephone=form.cleaned_data["telephone"],
        categorie=Categorie(form.cleaned_data["categorie"]),
        message=form.cleaned_data["message"],
        compte=None,
        ip="192.0.2.77",
    )
    stocke = DemandeAssistance.objects.get(pk=depot.demande.pk)
    assert not detection.contient_un_code(stocke.message)
    if secret is not None:
        assert secret not in stocke.message
    stocke.delete()
    services.limites.effacer(services.DEMANDES_PAR_IP, "192.0.2.77")
