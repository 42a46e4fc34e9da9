from datetime import timedelta

from isoloir.core import throttle


def test_bloque_a_la_limite_et_se_remet_a_zero() -> None:
    limite = throttle.Limit("essai", limit=3, window=60)
    assert not throttle.is_blocked(limite, "Agent@ac-lyon.fr")
    assert [throttle.record_failure(limite, "agent@ac-lyon.fr") for _ in range(3)] == [1, 2, 3]
    # The subject is normalised: the same address in capitals is the same counter.
    assert throttle.is_blocked(limite, "AGENT@ac-lyon.fr ")
    assert not throttle.is_blocked(limite, "autre@ac-lyon.fr")
    throttle.reset(limite, "agent@ac-lyon.fr")
    assert not throttle.is_blocked(limite, "agent@ac-lyon.fr")


def test_la_cle_ne_contient_pas_l_adresse() -> None:
    limite = throttle.Limit("essai", limit=3, window=int(timedelta(minutes=1).total_seconds()))
    assert "agent" not in limite.key("agent@ac-lyon.fr")
