"""The notices bench runs end to end at a size a test can afford (no timing asserted:
the figures belong to bench/notices.py's output, never to the tests)."""

import pytest

from bench import notices as banc
from isoloir.votecode.models import CodeDeVote, GenerationDeNotices, LotDeNotices, RemiseDeNotice


@pytest.mark.django_db
def test_le_banc_genere_imprime_et_importe(settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    r = banc.mesurer(6, 40)
    assert (r.notices, r.remises) == (6, 40)
    assert GenerationDeNotices.objects.get().notices_faites == 6
    assert LotDeNotices.objects.count() == r.fichiers == 1  # 40 voters per establishment
    assert CodeDeVote.objects.count() == 46
    # A quarter of the list says « en attente », which is what no row already means.
    assert RemiseDeNotice.objects.count() == 30
    sortie = banc.rapport(r)
    assert "Génération de 6 notices (1 fichier(s) PDF" in sortie
    assert "ratio génération / (empreintes + pages)" in sortie
    assert "1,400,000 électeurs ≈" in sortie
    assert "Import d'une liste de remises, 40 lignes" in sortie
