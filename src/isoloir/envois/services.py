"""Campaign mailings: activations and reminders to up to 1.4 million voters.

Launching and relaunching are here; what the workers run (planning, lots, the end of a
mailing) is in ``tasks.py``, the counts and previews in ``selectors.py``.

Nothing here loads the recipients at once. Launching counts them (one ``COUNT``), records
the mailing and hands it to a planning task, which walks the recipients by primary key a
few thousand ids at a time and records one :class:`LotDEnvoi` (a range of ids) per step,
each handed to its own task. A lot's task selects its voters again, bulk-creates their
mails and enqueues one delivery task per mail, all in one transaction that also marks the
lot done.

Nobody is mailed twice:
- the confirmation form carries its key (``jeton``, core.soumission), unique in the
  database: the same form sent twice launches one mailing;
- a new confirmation page draws a new value, so a mailing is refused while another of the
  same kind for the campaign is not finished (checked under a lock on the campaign's row);
- every mail of a mailing has a unique key (``Courriel.cle``): ``activation:<campaign>:
  <account>`` (one activation mail per voter and campaign, whatever the mailing) or
  ``envoi:<mailing>:<account>`` for a reminder. A lot's task run twice, or two activation
  mailings at once, insert each mail once (``ignore_conflicts``), and the lot's mark makes
  a rerun a no-op;
- a mail delivered twice by the queue is sent once (``notify.livraison.livrer`` locks its row).

An address that bounced for good (:class:`AdresseRejetee`) gets a mail row in the state
« écarté » and is not sent anything: the dashboard shows how many.
"""

import uuid
from datetime import timedelta

from django.db import transaction

from isoloir.accounts.models import Compte
from isoloir.audit.services import journaliser
from isoloir.core import horloge, soumission
from isoloir.elections.models import Campagne
from isoloir.envois.models import EnvoiDeMasse, LotDEnvoi
from isoloir.envois.selectors import EnvoiImpossible, apercu, deja_en_cours, en_cours_de
from isoloir.envois.tasks import mettre_en_file_lot, mettre_en_file_planification


def lancer(
    *, campagne: Campagne, nature: str, jeton: uuid.UUID, compte: Compte, ip: str = ""
) -> tuple[EnvoiDeMasse, bool]:
    """Record a mailing and start its planning. Returns it and whether it is new: the
    same confirmation (``jeton``, its form's key, read by envois.forms.ConfirmationForm:
    core.soumission) sent again returns the mailing it launched."""
    cle = str(jeton)

    def retrouver() -> EnvoiDeMasse | None:
        existant = EnvoiDeMasse.objects.filter(jeton=cle).first()
        if existant is not None and (existant.campagne_id, existant.nature) != (
            campagne.pk,
            nature,
        ):
            # A key is never a way to reach another mailing (core.soumission).
            raise EnvoiImpossible(soumission.FORMULAIRE_EXPIRE)
        return existant

    def agir() -> EnvoiDeMasse:
        vue = apercu(campagne, nature)
        if not vue.disponible:
            # The same confirmation may have launched it between the first look-up and
            # this preview (two posts at once): that mailing is this confirmation's, not a
            # refusal.
            if retrouver() is not None:
                raise soumission.DejaSoumis("jeton")
            raise EnvoiImpossible(vue.motif)
        with transaction.atomic():
            # Each display of the confirmation page draws a new ``jeton``, and a reminder's
            # mail keys name the mailing: a second confirmation (back button, a second
            # administrator) would mail everyone again. So one mailing of a kind at a time
            # per campaign, checked under a lock on the campaign's row so that two launches
            # at once queue up here (SQLite's IMMEDIATE transactions queue them anyway).
            Campagne.objects.select_for_update().only("pk").get(pk=campagne.pk)
            if retrouver() is not None:  # the same confirmation, sent while we waited
                raise soumission.DejaSoumis("jeton")
            if en_cours_de(campagne).filter(nature=nature).exists():
                raise EnvoiImpossible(deja_en_cours(nature))
            envoi = EnvoiDeMasse.objects.create(
                campagne=campagne,
                nature=nature,
                jeton=cle,
                lance_par=compte,
                lance_le=horloge.maintenant(),
                destinataires_prevus=vue.destinataires + vue.ecartes,
            )
            journaliser(
                "courriels.envoi_lance",
                compte_id=compte.pk,
                ip=ip,
                envoi=envoi.pk,
                campagne=campagne.slug,
                nature=nature,
                destinataires=vue.destinataires,
                ecartes=vue.ecartes,
            )
            transaction.on_commit(lambda: mettre_en_file_planification(envoi.pk))
        return envoi

    lancement = soumission.une_seule_fois(retrouver=retrouver, agir=agir)
    return lancement.resultat, lancement.premiere


def relancer_envois(*, depuis: timedelta) -> int:
    """Hand back to the queue the planning of mailings and the lots whose task never
    ran (queue down at the time): each is idempotent, so a task still in the queue that
    runs as well does nothing the second time."""
    limite = horloge.maintenant() - depuis
    relances = 0
    for envoi_id in EnvoiDeMasse.objects.filter(
        planifie_le__isnull=True, lance_le__lt=limite
    ).values_list("pk", flat=True):
        mettre_en_file_planification(envoi_id)
        relances += 1
    for lot_id in LotDEnvoi.objects.filter(
        programme_le__isnull=True, envoi__lance_le__lt=limite
    ).values_list("pk", flat=True):
        mettre_en_file_lot(lot_id)
        relances += 1
    return relances
