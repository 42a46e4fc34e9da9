import re

from django import forms
from django.core.exceptions import ValidationError

FORME_TRACEUR = re.compile(r"^[A-Za-z0-9_-]{43}$")


class RechercheTraceurForm(forms.Form):
    traceur = forms.CharField(
        label="Traceur de votre bulletin",
        help_text="Les 43 caractères donnés par votre accusé de réception.",
        max_length=60,
        strip=True,
    )

    def clean_traceur(self) -> str:
        traceur = "".join(self.cleaned_data["traceur"].split())
        if not FORME_TRACEUR.match(traceur):
            raise ValidationError(
                "Un traceur compte 43 caractères : lettres, chiffres, « - » et « _ ». "
                "Recopiez-le depuis votre accusé de réception."
            )
        return traceur
