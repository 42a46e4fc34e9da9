from django.core.exceptions import ValidationError

from isoloir.core.texte import sans_accents


def _plier(texte: str) -> str:
    return sans_accents(texte).casefold()


class NePasContenirSonNomValidator:
    """Refuses a password that contains the voter's names (of at least 3 letters) or the
    local part of their e-mail address."""

    def validate(self, password: str, user: object = None) -> None:
        electeur = getattr(user, "electeur", None) if user is not None else None
        morceaux: list[str] = []
        if electeur is not None:
            morceaux += electeur.nom_naissance.replace("-", " ").split()
            morceaux += electeur.nom_usage.replace("-", " ").split()
            morceaux += electeur.prenoms.replace("-", " ").split()
        email = getattr(user, "email", "") or ""
        if email:
            morceaux += email.split("@")[0].replace(".", " ").replace("-", " ").split()
        mot_de_passe = _plier(password)
        for morceau in morceaux:
            if len(morceau) >= 3 and _plier(morceau) in mot_de_passe:
                raise ValidationError(
                    "Le mot de passe ne doit contenir ni votre nom ni votre prénom.",
                    code="password_contains_name",
                )

    def get_help_text(self) -> str:
        return "Votre mot de passe ne doit contenir ni votre nom ni votre prénom."
