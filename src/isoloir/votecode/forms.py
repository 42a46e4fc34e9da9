from fnmatch import fnmatch
from typing import Any

from django import forms
from django.conf import settings

from isoloir.captcha.forms import ChampCaptcha
from isoloir.notify.telephones import valider_mobile
from isoloir.votecode.reassort import Canal


class SaisieCodeForm(forms.Form):
    code_de_vote = forms.CharField(
        label="Code de vote",
        max_length=64,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="16 caractères : lettres, chiffres et caractères spéciaux.",
    )
    captcha = ChampCaptcha()


class DemandeReassortForm(forms.Form):
    reponse_defi = forms.CharField(
        label="Saisissez votre réponse secrète",
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    numen = forms.CharField(
        label="Saisissez votre NUMEN",
        max_length=40,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="13 caractères, par exemple 01E9501234ABC. Il figure sur votre arrêté "
        "de nomination ou d'affectation et dans votre dossier I-Prof ; votre service "
        "de gestion du personnel peut aussi vous le donner.",
    )
    canal = forms.ChoiceField(
        label="Envoi du lien d'activation",
        choices=[
            (Canal.SMS.value, "Envoi du lien d'activation par SMS sur votre smartphone personnel"),
            (
                Canal.EMAIL.value,
                "Envoi du lien d'activation par E-MAIL sur votre messagerie personnelle (cette "
                "messagerie personnelle doit être impérativement différente de celle qui est "
                "utilisée pour vous identifier au portail élections)",
            ),
        ],
        widget=forms.RadioSelect,
    )
    mobile = forms.CharField(
        label="Numéro de téléphone mobile personnel (pour un envoi par SMS)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=(
            "Par exemple 06 12 34 56 78 (France métropolitaine et outre-mer). Le SMS est moins "
            "sûr que l'e-mail ou FranceConnect : choisissez-le seulement pour un mobile qui "
            "n'est qu'à vous."
        ),
    )
    email_personnel = forms.EmailField(
        label="Adresse mail personnelle (pour un envoi par e-mail)",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, email_professionnel: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email_professionnel = email_professionnel.lower()

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        canal = donnees.get("canal")
        if canal == Canal.SMS:
            self._verifier_mobile(donnees)
        elif canal == Canal.EMAIL:
            self._verifier_email(donnees)
        return donnees

    def _verifier_mobile(self, donnees: dict[str, Any]) -> None:
        if not donnees.get("mobile"):
            self.add_error("mobile", "Saisissez le numéro du mobile qui recevra le lien.")
            return
        try:
            donnees["destination"] = valider_mobile(donnees["mobile"])
        except forms.ValidationError as erreur:
            self.add_error("mobile", erreur)

    def _verifier_email(self, donnees: dict[str, Any]) -> None:
        adresse = (donnees.get("email_personnel") or "").strip().lower()
        if not adresse:
            if "email_personnel" not in self.errors:
                self.add_error(
                    "email_personnel", "Saisissez l'adresse personnelle qui recevra le lien."
                )
            return
        locale, _, domaine = adresse.rpartition("@")
        pro_locale, _, pro_domaine = self.email_professionnel.rpartition("@")
        if domaine.startswith("["):
            # x@[127.0.0.1] is valid mail syntax, but names no mail provider: a machine,
            # perhaps the employer's, whose owner nobody knows.
            self.add_error(
                "email_personnel",
                "Cette adresse désigne une machine (adresse IP) et non un fournisseur de "
                "messagerie : choisissez une adresse personnelle, par exemple chez votre "
                "fournisseur d'accès à Internet.",
            )
        elif locale.split("+")[0] == pro_locale.split("+")[0] and domaine == pro_domaine:
            self.add_error(
                "email_personnel",
                "Choisissez une adresse personnelle, différente de votre adresse professionnelle.",
            )
        elif _domaine_professionnel(domaine, pro_domaine):
            self.add_error(
                "email_personnel",
                "Cette adresse est une adresse académique, universitaire ou d'un ministère, "
                "lue par votre employeur : choisissez une adresse personnelle.",
            )
        else:
            donnees["destination"] = adresse


def _domaine_professionnel(domaine: str, domaine_pro: str) -> bool:
    """The voter's own professional domain, one of the configured academic ones, or a
    subdomain of either (``mail.education.gouv.fr``)."""
    motifs = [domaine_pro, *settings.ISOLOIR_DOMAINES_ACADEMIQUES]
    return any(fnmatch(domaine, m) or fnmatch(domaine, f"*.{m}") for m in motifs)
