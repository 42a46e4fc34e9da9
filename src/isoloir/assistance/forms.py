import re
from typing import Any

from django import forms

from isoloir.assistance import detection
from isoloir.assistance.electeurs import FORMAT_LIEU, normaliser_lieu
from isoloir.assistance.models import Categorie, Statut
from isoloir.captcha.forms import ChampCaptcha
from isoloir.core.soumission import FormulaireACle

_TELEPHONE = re.compile(r"^\+?[0-9 .()\-]{6,25}$")


def _oublier_le_secret(form: forms.Form, nom: str) -> None:
    """A text refused for holding a secret is not sent back to the page: the form comes
    back filled, that field empty."""
    if form.has_error(nom, "code_de_vote") or form.has_error(nom, "numen"):
        form.data = {**dict(form.data.items()), nom: ""}


def _sans_secret(texte: str) -> str:
    if detection.contient_un_code(texte):
        raise forms.ValidationError(detection.MESSAGE_CODE, code="code_de_vote")
    if detection.contient_un_numen(texte):
        raise forms.ValidationError(detection.MESSAGE_NUMEN, code="numen")
    return texte


class DemandeForm(FormulaireACle):
    """The request form. ``anonyme``: the person is not logged in, so a CAPTCHA is asked.

    Its key (``cle``) keeps a second post from filing a second request. Missing or mangled
    (a hidden field nobody can correct), a new one is drawn and the request still goes,
    without that protection: refusing it would spend the CAPTCHA and lose the message.
    """

    cle_illisible = None

    nom = forms.CharField(
        label="Nom et prénom",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Adresse électronique professionnelle",
        max_length=254,
        help_text="Celle qui sert d'identifiant au portail, par exemple prenom.nom@ac-lyon.fr.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    telephone = forms.CharField(
        label="Téléphone (facultatif)",
        max_length=30,
        required=False,
        help_text="Pour être rappelé, par exemple 01 23 45 67 89.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    categorie = forms.ChoiceField(
        label="Objet de la demande",
        choices=[("", "Choisissez un objet"), *Categorie.choices],
    )
    message = forms.CharField(
        label="Votre message",
        max_length=3000,
        help_text=(
            "3 000 caractères au plus. N'écrivez jamais votre mot de passe, votre code de vote, "
            "votre NUMEN ni la réponse à votre question défi."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, anonyme: bool, email_du_compte: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if anonyme:
            self.fields["captcha"] = ChampCaptcha()
        if email_du_compte:
            # Logged in: the request is the account's, and so is the address replies go to.
            # A disabled field ignores what is posted and keeps this value.
            champ = self.fields["email"]
            champ.disabled = True
            champ.initial = email_du_compte
            champ.help_text = "Celle de votre compte : la réponse de l'assistance y sera envoyée."

    def clean_nom(self) -> str:
        nom = " ".join(self.cleaned_data["nom"].split())
        if len(nom) < 2:
            raise forms.ValidationError("Saisissez votre nom et votre prénom.")
        return nom

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_telephone(self) -> str:
        telephone = " ".join(self.cleaned_data["telephone"].split())
        if telephone and (
            not _TELEPHONE.fullmatch(telephone) or sum(c.isdigit() for c in telephone) < 6
        ):
            raise forms.ValidationError(
                "Saisissez un numéro de téléphone composé de chiffres, par exemple 01 23 45 67 89."
            )
        return telephone

    def full_clean(self) -> None:
        super().full_clean()
        _oublier_le_secret(self, "message")

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Décrivez votre demande.")
        return _sans_secret(message)


class RechercheElecteurForm(forms.Form):
    q = forms.CharField(
        label="Nom, adresse professionnelle ou établissement",
        max_length=200,
        help_text=(
            "Le début suffit : « dupont », « dupont marie », « marie.dupont@ », « lycée victor »."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class FiltreDemandesForm(forms.Form):
    statut = forms.ChoiceField(
        label="Statut", required=False, choices=[("", "Tous les statuts"), *Statut.choices]
    )
    categorie = forms.ChoiceField(
        label="Catégorie",
        required=False,
        choices=[("", "Toutes les catégories"), *Categorie.choices],
    )
    q = forms.CharField(
        label="Numéro, adresse ou nom",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class ReponseForm(FormulaireACle):
    """A helpdesk member's reply. As for the request, an unreadable key does not lose the
    reply typed: it is recorded, without the protection against its own double post."""

    cle_illisible = None

    texte = forms.CharField(
        label="Réponse",
        max_length=5000,
        help_text=(
            "Envoyée par courriel si l'adresse de la demande est celle d'un compte ; sinon, "
            "résumez ici la réponse donnée par téléphone. Jamais de mot de passe, de code ni "
            "de NUMEN."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def full_clean(self) -> None:
        super().full_clean()
        _oublier_le_secret(self, "texte")

    def clean_texte(self) -> str:
        texte = self.cleaned_data["texte"].strip()
        if not texte:
            raise forms.ValidationError("Saisissez la réponse.")
        return _sans_secret(texte)


class VerificationIdentiteForm(forms.Form):
    date_naissance = forms.DateField(
        label="Date de naissance donnée par l'appelant",
        input_formats=["%d/%m/%Y", "%d%m%Y", "%Y-%m-%d"],
        help_text="Au format JJ/MM/AAAA, par exemple 25/12/1980.",
        error_messages={
            "invalid": "Saisissez une date au format JJ/MM/AAAA, par exemple 25/12/1980.",
            "required": "Saisissez la date de naissance donnée par l'appelant.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    lieu_naissance = forms.CharField(
        label="Lieu de naissance donné par l'appelant (code INSEE)",
        max_length=10,
        help_text=(
            "Code officiel géographique de la commune de naissance (par exemple 69123 pour "
            "Lyon) ou, pour une naissance à l'étranger, du pays (par exemple 99352 pour "
            "l'Algérie)."
        ),
        error_messages={"required": "Saisissez le code du lieu de naissance."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_lieu_naissance(self) -> str:
        lieu = normaliser_lieu(self.cleaned_data["lieu_naissance"])
        if not FORMAT_LIEU.fullmatch(lieu):
            raise forms.ValidationError(
                "Un code INSEE a 5 caractères : 5 chiffres (2A ou 2B pour la Corse), ou 99 suivi "
                "de 3 chiffres pour un pays."
            )
        return lieu
