import threading

import pytest
from django.db import connection

from isoloir.core import limites
from isoloir.core.requetes import adresse_du_client


@pytest.mark.django_db
def test_bloque_a_la_limite_et_se_remet_a_zero(compteurs) -> None:
    limite = limites.Limite("essai", plafond=3, fenetre=60)
    assert not limites.est_bloque(limite, "Agent@ac-lyon.fr")
    assert [limites.compter(limite, "agent@ac-lyon.fr") for _ in range(4)] == [1, 2, 3, 4]
    assert limites.depasse(limite, 4) and not limites.depasse(limite, 3)
    # The subject is normalised: the same address in capitals is the same counter.
    assert limites.est_bloque(limite, "AGENT@ac-lyon.fr ")
    assert not limites.est_bloque(limite, "autre@ac-lyon.fr")
    limites.effacer(limite, "agent@ac-lyon.fr")
    assert not limites.est_bloque(limite, "agent@ac-lyon.fr")


@pytest.mark.django_db
def test_rendre_une_tentative_reussie(compteurs) -> None:
    limite = limites.Limite("essai", plafond=3, fenetre=60)
    limites.compter(limite, "192.0.2.1")
    limites.compter(limite, "192.0.2.1")
    limites.rendre(limite, "192.0.2.1")
    assert limites.compter(limite, "192.0.2.1") == 2
    limites.rendre(limite, "198.51.100.1")  # nothing counted: no error


@pytest.mark.django_db(transaction=True)
def test_comptage_simultane_sans_perte(compteurs) -> None:
    limite = limites.Limite("essai", plafond=1000, fenetre=60)
    depart = threading.Barrier(8)
    vus: list[int] = []

    def compter() -> None:
        depart.wait()
        try:
            for _ in range(25):
                vus.append(limites.compter(limite, "cible"))
        finally:
            connection.close()  # each thread had its own connection

    fils = [threading.Thread(target=compter) for _ in range(8)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert sorted(vus) == list(range(1, 201))


def test_la_cle_ne_contient_pas_l_adresse() -> None:
    assert "agent" not in limites.Limite("essai", 3, 60).cle("agent@ac-lyon.fr")


@pytest.mark.parametrize(
    ("entete", "mandataires", "attendue"),
    [
        ("", 1, "10.0.0.9"),  # no header: the proxy itself
        ("203.0.113.5", 1, "203.0.113.5"),
        # The client forged the leftmost entry; our one proxy appended the real address.
        ("1.2.3.4, 203.0.113.5", 1, "203.0.113.5"),
        ("1.2.3.4, 203.0.113.5, 10.0.0.2", 2, "203.0.113.5"),
        ("203.0.113.5", 2, "10.0.0.9"),  # fewer entries than proxies: not trusted
    ],
)
def test_adresse_du_client_derriere_des_mandataires(
    rf, settings, entete: str, mandataires: int, attendue: str
) -> None:
    settings.ISOLOIR_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.ISOLOIR_TRUSTED_PROXIES = mandataires
    requete = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=entete)
    assert adresse_du_client(requete) == attendue


def test_sans_mandataire_l_entete_est_ignoree(rf, settings) -> None:
    settings.ISOLOIR_CLIENT_IP_HEADER = ""
    requete = rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert adresse_du_client(requete) == "192.0.2.7"


@pytest.mark.django_db
@pytest.mark.usefixtures("compteurs_en_base")
def test_en_base_une_fenetre_passee_repart_de_un_et_est_purgee(monkeypatch) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from isoloir.core.models import Compteur

    limite = limites.Limite("essai", plafond=3, fenetre=60)
    assert [limites.compter(limite, "a") for _ in range(3)] == [1, 2, 3]
    limites.compter(limite, "b")
    assert limites.est_bloque(limite, "a")
    plus_tard = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(limites, "_maintenant", lambda: plus_tard)
    assert not limites.est_bloque(limite, "a")
    # A new window starts at one, and sweeps the other counters whose window has passed.
    assert limites.compter(limite, "a") == 1
    assert list(Compteur.objects.values_list("valeur", flat=True)) == [1]


@pytest.mark.django_db
def test_compter_par_tranche_repart_a_chaque_fenetre(compteurs, monkeypatch) -> None:
    """An address never quiet for a whole window (a NAT) is counted afresh in each one,
    where :func:`limites.compter` would keep pushing its window back."""
    from datetime import timedelta

    from django.utils import timezone

    limite = limites.Limite("essai-tranche", plafond=3, fenetre=600)
    debut = timezone.now().replace(minute=0, second=0, microsecond=0)
    for secondes, attendus in ((0, [1, 2, 3, 4]), (599, [5]), (600, [1, 2]), (1199, [3])):
        monkeypatch.setattr(limites, "_maintenant", lambda s=secondes: debut + timedelta(seconds=s))
        assert [limites.compter_par_tranche(limite, "192.0.2.1") for _ in attendus] == attendus
    assert limites.compter_par_tranche(limite, "198.51.100.1") == 1
