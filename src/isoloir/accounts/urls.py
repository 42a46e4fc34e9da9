from django.urls import path

from isoloir.accounts import views, vues_second_facteur

app_name = "accounts"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("connexion/", views.connexion, name="connexion"),
    path("deconnexion/", views.deconnexion, name="deconnexion"),
    path("activation", views.activation, name="activation"),
    path("mot-de-passe-oublie/", views.mot_de_passe_oublie, name="mot_de_passe_oublie"),
    path("mot-de-passe/reinitialisation", views.reinitialisation, name="reinitialisation"),
    path("mon-compte/", views.mes_informations, name="mes_informations"),
    path("mon-compte/mot-de-passe/", views.changer_mot_de_passe, name="changer_mot_de_passe"),
    path("mon-compte/question-defi/", views.changer_question_defi, name="changer_question_defi"),
    path("mon-compte/mes-donnees.json", views.telecharger_mes_donnees, name="mes_donnees"),
    path("edito/", views.edito, name="edito"),
    path("assistance/", views.assistance, name="assistance"),
    path("assistance-telephonique/", views.assistance_telephonique, name="assistance_telephonique"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
    # Second factor of the bureau de vote's members (see accounts/second_facteur.py).
    path(
        "second-facteur/",
        vues_second_facteur.verification,
        name="second_facteur_verification",
    ),
    path(
        "second-facteur/activation/",
        vues_second_facteur.enrolement,
        name="second_facteur_enrolement",
    ),
    path("second-facteur/secours/", vues_second_facteur.secours, name="second_facteur_secours"),
    path(
        "second-facteur/codes-de-secours/",
        vues_second_facteur.codes_de_secours,
        name="second_facteur_codes",
    ),
]
