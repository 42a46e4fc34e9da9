"""French text: comparing it as people type it, writing figures as French readers read them."""

import unicodedata


def sans_accents(texte: str) -> str:
    """« Élodie » → « Elodie »: letters stripped of their accents and cedillas."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c))


def nombre(n: int) -> str:
    """1 400 000: digits grouped by threes with no-break spaces, as Django's French locale
    does (``floatformat:"0g"`` in the templates), so that a figure never breaks across a
    line on the page, in a PDF or in a message."""
    return f"{n:,}".replace(",", "\xa0")
