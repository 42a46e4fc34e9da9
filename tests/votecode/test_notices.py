"""Initial codes and notices: one PDF per establishment, resumable after a crash."""

from pathlib import Path

import pytest
from django.core.management import call_command

from isoloir.votecode import code, notices
from isoloir.votecode.models import CodeDeVote


class Imprimeur:
    """Keeps the codes it is given, as the printer would, and may fail once."""

    def __init__(self, panne_apres: int | None = None) -> None:
        self.codes: dict[int, str] = {}
        self.appels = 0
        self.panne_apres = panne_apres

    def __call__(self, fichier, *, campagne, etablissement, electeurs, codes) -> None:
        self.appels += 1
        if self.panne_apres is not None and self.appels > self.panne_apres:
            raise RuntimeError("imprimante arrêtée")
        notices.imprimer_pdf(
            fichier,
            campagne=campagne,
            etablissement=etablissement,
            electeurs=electeurs,
            codes=codes,
        )
        self.codes.update(codes)


@pytest.fixture
def roll(creer_scrutin, creer_electeur):
    scrutin = creer_scrutin()
    electeurs = [creer_electeur(scrutin, etablissement="Lycée du Parc, Lyon") for _ in range(3)]
    electeurs += [creer_electeur(scrutin, etablissement="Collège Ampère, Lyon") for _ in range(2)]
    return scrutin.campagne, electeurs


@pytest.mark.django_db
def test_un_pdf_par_etablissement_et_des_codes_qui_fonctionnent(roll, tmp_path: Path) -> None:
    campagne, electeurs = roll
    imprimeur = Imprimeur()
    rapport = notices.generer_codes_initiaux(
        campagne=campagne, dossier=tmp_path, imprimer=imprimeur
    )
    assert (rapport.etablissements, rapport.codes) == (2, 5)
    fichiers = sorted(p.name for p in tmp_path.iterdir())
    assert len(fichiers) == 2
    assert fichiers[0].startswith("college-ampere-lyon--")
    for fichier in tmp_path.iterdir():
        assert fichier.read_bytes().startswith(b"%PDF-")
        assert fichier.stat().st_mode & 0o777 == 0o600  # codes in clear: the printer only
    for electeur in electeurs:
        empreinte = CodeDeVote.objects.get(electeur=electeur).empreinte
        assert code.verifier(imprimeur.codes[electeur.pk], empreinte)
        assert imprimeur.codes[electeur.pk] not in empreinte
    # A second run finds nothing to do.
    assert notices.generer_codes_initiaux(campagne=campagne, dossier=tmp_path).codes == 0


@pytest.mark.django_db
def test_reprise_apres_une_panne_d_impression(roll, tmp_path: Path) -> None:
    campagne, _ = roll
    with pytest.raises(RuntimeError):
        notices.generer_codes_initiaux(
            campagne=campagne, dossier=tmp_path, imprimer=Imprimeur(panne_apres=1)
        )
    assert CodeDeVote.objects.count() == 2  # the first establishment is done
    reprise = Imprimeur()
    assert (
        notices.generer_codes_initiaux(campagne=campagne, dossier=tmp_path, imprimer=reprise).codes
        == 3
    )
    assert CodeDeVote.objects.count() == 5
    assert len(list(tmp_path.iterdir())) == 2
    assert not list(tmp_path.glob("*.partiel"))


@pytest.mark.django_db
def test_reprise_quand_l_enregistrement_echoue_apres_l_impression(roll, tmp_path, monkeypatch):
    campagne, _ = roll
    vrai = notices._enregistrer

    def panne(*args, **kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(notices, "_enregistrer", panne)
    premier = Imprimeur()
    with pytest.raises(RuntimeError):
        notices.generer_codes_initiaux(campagne=campagne, dossier=tmp_path, imprimer=premier)
    (imprime,) = tmp_path.iterdir()  # printed, never recorded
    monkeypatch.setattr(notices, "_enregistrer", vrai)
    second = Imprimeur()
    notices.generer_codes_initiaux(campagne=campagne, dossier=tmp_path, imprimer=second)
    assert imprime.exists() and len(list(tmp_path.iterdir())) == 2  # written over, same name
    for electeur_id, ancien in premier.codes.items():
        empreinte = CodeDeVote.objects.get(electeur_id=electeur_id).empreinte
        assert not code.verifier(ancien, empreinte)
        assert code.verifier(second.codes[electeur_id], empreinte)


@pytest.mark.django_db
def test_commande(roll, tmp_path: Path, capsys) -> None:
    campagne, _ = roll
    call_command("generer_codes", "--campagne", campagne.slug, "--dossier", str(tmp_path))
    sortie = capsys.readouterr().out
    assert "[1/2] Collège Ampère, Lyon : 2 notice(s)" in sortie
    assert "5 code(s) de vote générés pour 2 établissement(s)" in sortie
