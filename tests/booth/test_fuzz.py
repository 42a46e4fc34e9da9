"""Whatever is posted as a ballot, the booth answers with a French refusal and writes
nothing: never an error page."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isoloir.ballotbox.models import Bulletin
from isoloir.booth import depot
from isoloir.booth.models import Emargement
from isoloir.core import limites
from tests.scrutin_de_vote import URNE_ET_DEFAUT

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80),
    lambda enfants: (
        st.lists(enfants, max_size=5)
        | st.dictionaries(
            st.sampled_from(["choix", "election", "preuve_somme", "scrutin", "version", "x"]),
            enfants,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texte=st.text(max_size=300) | JSON.map(lambda v: __import__("json").dumps(v)))
def test_un_bulletin_quelconque_est_refuse_proprement(
    dans_l_isoloir, electeur, scrutin, texte
) -> None:
    # The flood limit is not what this test is about. (Not cache.clear(): sessions may
    # live in the cache, and the voter would be logged out.)
    limites.effacer(depot.ENVOIS_PAR_ELECTEUR, str(electeur.pk))
    reponse = dans_l_isoloir.post(reverse("booth:isoloir", args=[scrutin.pk]), {"bulletin": texte})
    assert reponse.status_code == 200
    assert "Vote non enregistré" in reponse.content.decode()
    assert Bulletin.objects.count() == Emargement.objects.count() == 0
