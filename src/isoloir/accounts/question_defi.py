"""Questions défi offered at activation, and the normalised hash of their answers.

The answer is compared after normalisation (case, accents, spaces, apostrophes), so that
"Élodie", "elodie " and "É L O D I E" match; it is then hashed like a password (Argon2id,
salted). The CNIL asks for non-trivial questions (objective 2-04): none asks for, or can be
worked out from, what the roll holds (birth date, place, postcode, département). That rules
out the reference screens' "year of the baccalauréat", about the birth year plus 18.
"""

import re

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError

from isoloir.core.texte import sans_accents

QUESTIONS: list[tuple[str, str]] = [
    ("animal", "Quel était le nom de votre premier animal de compagnie ?"),
    ("ami", "Quel est le prénom de votre meilleur ami ou amie d'enfance ?"),
    ("ecole", "Quel est le nom de l'école où vous avez appris à lire ?"),
    ("livre", "Quel est le titre du livre qui vous a le plus marqué ?"),
    ("rencontre", "Dans quelle ville vos parents se sont-ils rencontrés ?"),
    ("metier", "Quel métier rêviez-vous d'exercer enfant ?"),
    ("employeur", "Quel était le nom de votre tout premier employeur ?"),
]
LIBELLES = dict(QUESTIONS)
LONGUEUR_MINIMALE = 3


def normaliser(reponse: str) -> str:
    sans_apostrophes = re.sub(r"[’'`´‘]", "'", sans_accents(reponse or ""))
    return re.sub(r"\s+", "", sans_apostrophes).casefold()


def verifier_recevable(reponse: str) -> None:
    if len(normaliser(reponse)) < LONGUEUR_MINIMALE:
        raise ValidationError(
            f"La réponse secrète doit comporter au moins {LONGUEUR_MINIMALE} caractères "
            "(hors espaces).",
            code="reponse_trop_courte",
        )


def hacher(reponse: str) -> str:
    return make_password(normaliser(reponse))


def verifier(reponse: str, empreinte: str) -> bool:
    return bool(empreinte) and check_password(normaliser(reponse), empreinte)
