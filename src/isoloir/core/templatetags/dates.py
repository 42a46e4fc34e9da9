"""Template filters for the one way of writing dates and times (``core/dates.py``).

Loaded in every template (``builtins`` in the settings), so that no page is tempted back
to Django's ``date`` filter and a format string of its own.
"""

from datetime import date, datetime

from django import template

from isoloir.core import dates

register = template.Library()


@register.filter
def date_fr(valeur: date | datetime | None) -> str:
    """``1er décembre 2026``"""
    return "" if valeur is None else dates.date_fr(valeur)


@register.filter
def date_longue(valeur: date | datetime | None) -> str:
    """``mardi 1er décembre 2026``"""
    return "" if valeur is None else dates.date_fr(valeur, jour_de_semaine=True)


@register.filter
def heure_fr(valeur: datetime | None) -> str:
    """``9h05``"""
    return "" if valeur is None else dates.heure_fr(valeur)


@register.filter
def date_heure_fr(valeur: datetime | None) -> str:
    """``1er décembre 2026 à 9h05``"""
    return "" if valeur is None else dates.date_heure_fr(valeur)


@register.filter
def date_heure_longue(valeur: datetime | None) -> str:
    """``mardi 1er décembre 2026 à 9h05``"""
    return "" if valeur is None else dates.date_heure_fr(valeur, jour_de_semaine=True)
