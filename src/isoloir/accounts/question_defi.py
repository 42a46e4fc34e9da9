"""Questions défi offered at activation, and the normalised hash of their answers.

The answer is compared after normalisation (case, accents, spaces, apostrophes), so that
"Élodie", "elodie " and "É L O D I E" match; it is then hashed like a password (Argon2id,
salted). The CNIL asks for non-trivial questions: none asks for a birth date, a postcode
or a département.
"""

import re
import unicodedata

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError

QUESTIONS: list[tuple[str, str]] = [
    ("bac", "En quelle année avez-vous obtenu votre baccalauréat ?"),
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
    decomposee = unicodedata.normalize("NFKD", reponse or "")
    sans_accents = "".join(c for c in decomposee if not unicodedata.combining(c))
    sans_apostrophes = re.sub(r"[’'`´‘]", "'", sans_accents)
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
