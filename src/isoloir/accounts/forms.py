from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation

from isoloir.accounts import question_defi, services
from isoloir.accounts.models import Compte
from isoloir.core.requetes import adresse_du_client


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
        question_defi.verifier_recevable(reponse)
        return reponse


class ReinitialisationForm(NouveauMotDePasseMixin):
    pass


class ChangementMotDePasseForm(NouveauMotDePasseMixin):
    """The logged-in voter's new password, behind the current one."""

    mot_de_passe_actuel = forms.CharField(
        label="Mot de passe élections actuel",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["mot_de_passe_actuel", "mot_de_passe", "confirmation"]

    def __init__(self, *args: Any, compte: Compte, **kwargs: Any) -> None:
        super().__init__(*args, compte=compte, **kwargs)
        self.fields["mot_de_passe"].label = "Nouveau mot de passe élections"
        self.fields["confirmation"].label = "Confirmation du nouveau mot de passe"


class ChangementQuestionDefiForm(forms.Form):
    """A new question défi and answer, behind the current answer."""

    reponse_actuelle = forms.CharField(
        label="Réponse actuelle à votre question défi",
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    question_defi = forms.ChoiceField(
        label="Nouvelle question défi",
        choices=[("", "Choisissez une question"), *question_defi.QUESTIONS],
        help_text="Choisissez une question dont vous seul connaissez la réponse.",
    )
    reponse_defi = forms.CharField(
        label="Nouvelle réponse secrète",
        max_length=200,
        help_text=(
            "Les majuscules, les accents et les espaces ne sont pas pris en compte. "
            "Notez-la : elle ne vous sera jamais rappelée."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean_reponse_defi(self) -> str:
        reponse: str = self.cleaned_data["reponse_defi"]
        question_defi.verifier_recevable(reponse)
        return reponse


class MotDePasseOublieForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique professionnelle",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )


class ConnexionBackOfficeForm(AdminAuthenticationForm):
    """The back-office login, under the same throttling and journal as the portal's."""

    def clean(self) -> dict[str, Any]:
        email, mot_de_passe = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email and mot_de_passe and self.request is not None:
            try:
                self.user_cache = services.authentifier(
                    email=email, mot_de_passe=mot_de_passe, ip=adresse_du_client(self.request)
                )
            except services.ConnexionRefusee as refus:
                raise forms.ValidationError(refus.message, code="invalid_login") from refus
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
