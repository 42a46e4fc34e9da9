from isoloir.accounts import question_defi


def test_normalisation_casse_accents_espaces_apostrophes() -> None:
    assert question_defi.normaliser("  Élodie  Dupont ") == "elodiedupont"
    assert question_defi.normaliser("L’Étranger") == question_defi.normaliser("l'etranger")
    assert question_defi.normaliser("ÇA") == "ca"


def test_reponse_hachee_et_salee() -> None:
    premiere, seconde = question_defi.hacher("Médor"), question_defi.hacher("Médor")
    assert premiere != seconde
    assert premiere.startswith("argon2$argon2id$")
    assert question_defi.verifier("medor", premiere)
    assert question_defi.verifier("M E D O R", seconde)
    assert not question_defi.verifier("Medar", premiere)
    assert not question_defi.verifier("Médor", "")


def test_aucune_question_ne_se_deduit_de_la_liste_electorale() -> None:
    # Birth date and place are on the roll; an age (a year of exam, of first job) is as
    # good as the birth date.
    interdits = ("naissance", "code postal", "département", "année", "quel âge", "né")
    questions = [q.lower() for _, q in question_defi.QUESTIONS]
    assert not [q for q in questions if any(m in q for m in interdits)]
    assert len(questions) >= 6
