"""The reminder mails of campaign mailings (envois/services.py). The first activation mail
is the accounts app's (``accounts/mails.py``); its reminder reuses it with its own words."""

from django.urls import reverse

from isoloir.accounts.mails import activation
from isoloir.accounts.models import Electeur
from isoloir.core import horloge
from isoloir.core.dates import date_heure_fr, jour_et_mois_fr
from isoloir.elections.models import Campagne, Scrutin
from isoloir.notify.composition import Contenu, CourrielSansObjet, composeur, lien_absolu
from isoloir.notify.models import Courriel


@composeur("relance_activation")
def relance_activation(courriel: Courriel) -> Contenu:
    contenu = activation(courriel)  # no mail if the account was activated meanwhile
    return Contenu(
        objet=f"Rappel : activez votre compte électeur — {contenu.contexte['campagne']}",
        gabarit="envois/mails/relance_activation",
        contexte=contenu.contexte,
    )


@composeur("relance_vote")
def relance_vote(courriel: Courriel) -> Contenu:
    maintenant = horloge.maintenant()
    electeur = Electeur.objects.filter(compte_id=courriel.compte_id).first()
    campagne = Campagne.objects.filter(pk=courriel.contexte.get("campagne")).first()
    if electeur is None or campagne is None:
        raise CourrielSansObjet
    # Composed at sending time: a voter who has voted since gets nothing.
    a_voter = [
        scrutin
        for scrutin in Scrutin.objects.filter(
            campagne=campagne,
            inscriptions__electeur=electeur,
            inscriptions__emargement__isnull=True,
        ).order_by("ordre", "intitule")
        if scrutin.fenetre[0] <= maintenant < scrutin.fenetre[1]
    ]
    if not a_voter:
        raise CourrielSansObjet
    cloture = min(s.fenetre[1] for s in a_voter)
    return Contenu(
        objet=f"Rappel : votez avant le {jour_et_mois_fr(cloture)} — {campagne.nom}",
        gabarit="envois/mails/relance_vote",
        contexte={
            "salutation": electeur.formule_d_appel,
            "campagne": campagne.nom,
            "scrutins": [s.intitule for s in a_voter],
            "cloture": date_heure_fr(cloture, jour_de_semaine=True),
            "url": lien_absolu(reverse("accounts:connexion")),
        },
    )
