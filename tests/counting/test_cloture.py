"""The closing at the end of the window (A17): ``isoloir clore_scrutins`` freezes and
fingerprints every scrutin whose vote has ended, but never one still writing a vote."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from isoloir.booth import depot
from isoloir.booth.models import IntentionDeVote
from isoloir.core import horloge
from isoloir.counting import cloture, depouillement
from isoloir.counting.models import Cloture
from tests.scrutin_de_vote import URNE_ET_DEFAUT, bulletin_pour

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)

APRES_LA_FIN = timedelta(days=9)


def test_la_cloture_suit_la_fin_de_la_periode(scrutin, creer_electeur) -> None:
    electeur = creer_electeur(scrutin, active=True)
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    # During the vote: nothing to close.
    assert cloture.clore_les_scrutins_termines() == []
    with horloge.decalee_de(APRES_LA_FIN):
        sortie = StringIO()
        call_command("clore_scrutins", stdout=sortie)
        faite = Cloture.objects.get(scrutin=scrutin)
        assert (faite.bulletins, faite.emargements) == (1, 1)
        assert f"Scrutin {scrutin.code} clos : 1 bulletin(s), 1 émargement(s)" in sortie.getvalue()
        # Once closed, it stays as it was closed.
        assert cloture.clore_les_scrutins_termines() == []
        assert cloture.clore(scrutin) == faite
        assert cloture.verifier(faite) == []


def test_pas_de_cloture_sur_un_vote_en_cours(scrutin, creer_electeur) -> None:
    electeur = creer_electeur(scrutin, active=True)
    inscription = electeur.inscriptions.get(scrutin=scrutin)
    # A vote begun at the last second, whose process died before the end (step 1 done).
    IntentionDeVote.objects.create(
        inscription=inscription, nonce="a" * 64, creee_le=horloge.maintenant()
    )
    with horloge.decalee_de(APRES_LA_FIN):
        assert cloture.clore_les_scrutins_termines() == []
        with pytest.raises(cloture.ClotureRefusee, match="encore en cours d'enregistrement"):
            cloture.clore(scrutin)
        with pytest.raises(depouillement.DepouillementRefuse, match="en cours d'enregistrement"):
            depouillement.ouvrir(scrutin)
        assert not Cloture.objects.exists()
        # The recovery settles it (never acknowledged: undone); the next round closes.
        depot.recuperer()
        assert [c.scrutin_id for c in cloture.clore_les_scrutins_termines()] == [scrutin.pk]
