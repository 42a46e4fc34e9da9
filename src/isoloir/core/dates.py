"""The one way Isoloir writes a date and a time for people.

Pages, mails, PDF (receipts, notices, PV) and messages all go through these functions,
or through the template filters of the same names (``core/templatetags/isoloir.py``),
so that a voter reads the same form everywhere. It is the French administrative form of
the reference screens (``Ouvert du dimanche 21 août 2022 à 16h00``):

- the day in letters, the first of the month as an ordinal: ``1er décembre 2026``;
- the weekday in front where the moment matters to the reader (a window, a vote, a
  deadline): ``lundi 1er décembre 2026``; lists and tables leave it out;
- the time on the 24-hour clock, hours and minutes joined by ``h``: ``9h05``, ``16h00``;
- always the wall clock of Paris, whatever the server's zone or the moment's.

Written by hand rather than with Django's ``date`` format strings: those have no ordinal
for the first of the month, and the pages used five different strings of them. Machine
formats (ISO 8601 in exports, archives and signed data) are not for people and stay out.
"""

from datetime import date, datetime

from isoloir.core import horloge
from isoloir.core.horloge import PARIS

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def aujourd_hui() -> date:
    """Today on Paris's calendar, by the product's clock: from 0h00 to 1h00 (2h00 in
    summer) Paris is already a day ahead of UTC, which ``horloge.maintenant().date()``
    would read."""
    return a_paris(horloge.maintenant()).date()


def il_y_a_ans(jour: date, annees: int) -> date:
    """The same day ``annees`` years earlier; 29 February falls back to the 28th (a plain
    ``replace(year=…)`` raises on it, once every four years)."""
    try:
        return jour.replace(year=jour.year - annees)
    except ValueError:
        return jour.replace(year=jour.year - annees, day=28)


def a_paris(moment: datetime) -> datetime:
    """``moment`` on the wall clock of Paris (an aware datetime is required: a naive one
    would be read in the server's zone and could be an hour off)."""
    if moment.tzinfo is None:
        raise ValueError(
            "Un instant sans fuseau horaire ne peut pas être écrit à l'heure de Paris."
        )
    return moment.astimezone(PARIS)


def _jour(jour: date) -> str:
    return "1er" if jour.day == 1 else str(jour.day)


def date_fr(moment: date | datetime, *, jour_de_semaine: bool = False) -> str:
    """``1er décembre 2026``, or ``mardi 1er décembre 2026``. An instant is first put on
    Paris's clock: 23h30 UTC on 31 December is already the 1st of January there."""
    jour = a_paris(moment).date() if isinstance(moment, datetime) else moment
    texte = f"{_jour(jour)} {MOIS[jour.month - 1]} {jour.year}"
    return f"{JOURS[jour.weekday()]} {texte}" if jour_de_semaine else texte


def jour_et_mois_fr(moment: date | datetime) -> str:
    """``1er décembre``: a date within the campaign's year (a mail's subject line)."""
    jour = a_paris(moment).date() if isinstance(moment, datetime) else moment
    return f"{_jour(jour)} {MOIS[jour.month - 1]}"


def heure_fr(moment: datetime) -> str:
    """``9h05``, ``16h00``: Paris's wall clock."""
    local = a_paris(moment)
    return f"{local.hour}h{local.minute:02d}"


def date_heure_fr(moment: datetime, *, jour_de_semaine: bool = False) -> str:
    """``1er décembre 2026 à 9h05``, or ``mardi 1er décembre 2026 à 9h05``."""
    return f"{date_fr(moment, jour_de_semaine=jour_de_semaine)} à {heure_fr(moment)}"
