"""Spotting a code de vote (or a NUMEN) written into a free-text message.

A request's message is read by helpdesk staff and kept for months: a secret typed into it
would be disclosed. The form warns; this module refuses what is shaped like one.

A code de vote is 16 symbols of :data:`isoloir.votecode.code.ALPHABET` holding a letter, a
digit and a special (``votecode/code.py``). People copy it as it is printed on the notice
(one space between symbols), as four groups, or glued to a word ("code:Ab3$…"). Runs of
the alphabet are cut at every other character (accented letters, periods, commas), so
ordinary French sentences rarely form one; addresses and web links are removed first,
since ``agent12345@ac-lyon`` would otherwise look like a code.
"""

import re

from isoloir.votecode.code import ALPHABET, CHIFFRES, LETTRES, LONGUEUR, SPECIAUX

_SYMBOLE = "[" + re.escape(ALPHABET) + "]"
_RUN = re.compile(f"{_SYMBOLE}+")
# Printed form: 16 symbols each separated by one blank; or four groups of four. Searched
# in a lookahead, so that matches may overlap: single letters typed just before the code
# ("a b" + the code) must not hide it by starting the match too early.
_ESPACE = re.compile(rf"(?<!\S)(?=({_SYMBOLE}(?:[ \t\u00a0]{_SYMBOLE}){{{LONGUEUR - 1}}})(?!\S))")
_GROUPES = re.compile(rf"(?<!\S)(?=({_SYMBOLE}{{4}}(?:[ \t\u00a0]+{_SYMBOLE}{{4}}){{3}})(?!\S))")
_ADRESSE = re.compile(r"\S+@[\w-]+(?:\.[\w-]+)+")
_LIEN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# A NUMEN, possibly with separators: 2 digits, a letter, 7 digits, 3 letters.
_NUMEN = re.compile(
    r"(?<![0-9A-Za-z])\d[\s.\-]?\d[\s.\-]?[A-Za-z](?:[\s.\-]?\d){7}(?:[\s.\-]?[A-Za-z]){3}"
    r"(?![0-9A-Za-z])"
)


def _a_la_forme(sequence: str) -> bool:
    return (
        any(c in LETTRES for c in sequence)
        and any(c in CHIFFRES for c in sequence)
        and any(c in SPECIAUX for c in sequence)
    )


def contient_un_code(texte: str) -> bool:
    """Whether ``texte`` holds something shaped like a code de vote."""
    texte = _LIEN.sub(" ", _ADRESSE.sub(" ", texte or ""))
    for motif in (_ESPACE, _GROUPES):
        for trouve in motif.finditer(texte):
            if _a_la_forme("".join(trouve.group(1).split())):
                return True
    for trouve in _RUN.finditer(texte):
        suite = trouve.group()
        # Any length: a code glued to a word ("moncode:Ab3$…") is still a code. A long
        # token of letters, digits and specials is rare in a request; refusing it costs
        # a rewording, letting a code through costs a secret.
        if len(suite) >= LONGUEUR and any(
            _a_la_forme(suite[i : i + LONGUEUR]) for i in range(len(suite) - LONGUEUR + 1)
        ):
            return True
    return False


def contient_un_numen(texte: str) -> bool:
    return _NUMEN.search(texte or "") is not None


MESSAGE_CODE = (
    "Votre message semble contenir un code de vote. Ne l'écrivez jamais : personne, pas même "
    "l'assistance, ne doit le connaître. Retirez-le de votre message ; si vous l'avez perdu "
    "ou pensez qu'il a été vu, choisissez la catégorie « Code de vote / réassort » et "
    "décrivez simplement la situation."
)
MESSAGE_NUMEN = (
    "Votre message semble contenir un NUMEN. L'assistance n'en a pas besoin et ne vous le "
    "demandera jamais : retirez-le de votre message."
)
