from typing import Any

from django import forms
from django.contrib.auth import password_validation

from isoloir.accounts import question_defi
from isoloir.accounts.models import Compte


class ConnexionForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique professionnelle",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    mot_de_passe = forms.CharField(
        label="Mot de passe élections",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class NouveauMotDePasseMixin(forms.Form):
    """Two password fields checked against the rules, for a known account."""

    mot_de_passe = forms.CharField(
        label="Mot de passe élections",
        strip=False,
        max_length=4096,
        help_text=(
            "Au moins 12 caractères. Il ne doit contenir ni votre nom ni votre prénom, ni "
            "être un mot de passe courant. Une phrase de plusieurs mots est plus sûre et "
            "plus facile à retenir."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirmation = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, compte: Compte, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.compte = compte

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        mot_de_passe = donnees.get("mot_de_passe")
        if mot_de_passe:
            try:
                password_validation.validate_password(mot_de_passe, self.compte)
            except forms.ValidationError as erreur:
                self.add_error("mot_de_passe", erreur)
            else:
                if mot_de_passe != donnees.get("confirmation"):
                    self.add_error(
                        "confirmation", "La confirmation ne correspond pas au mot de passe."
                    )
        return donnees


class ActivationForm(NouveauMotDePasseMixin):
    question_defi = forms.ChoiceField(
        label="Question défi",
        choices=[("", "Choisissez une question"), *question_defi.QUESTIONS],
        help_text=(
            "Elle vous sera posée si vous perdez votre code de vote. Choisissez une question "
            "dont vous seul connaissez la réponse."
        ),
    )
    reponse_defi = forms.CharField(
        label="Réponse secrète",
        max_length=200,
        help_text=(
            "Les majuscules, les accents et les espaces ne sont pas pris en compte. "
            "Notez-la : elle ne vous sera jamais rappelée."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["mot_de_passe", "confirmation", "question_defi", "reponse_defi"]

    def clean_reponse_defi(self) -> str:
        reponse: str = self.cleaned_data["reponse_defi"]
        if len(question_defi.normaliser(reponse)) < question_defi.LONGUEUR_MINIMALE:
            raise forms.ValidationError("La réponse secrète doit comporter au moins 3 caractères.")
        return reponse


class ReinitialisationForm(NouveauMotDePasseMixin):
    pass


class MotDePasseOublieForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique professionnelle",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
