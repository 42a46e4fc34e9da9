"""Comparing French text as people type it."""

import unicodedata


def sans_accents(texte: str) -> str:
    """« Élodie » → « Elodie »: letters stripped of their accents and cedillas."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c))
