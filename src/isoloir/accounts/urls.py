from django.urls import path

from isoloir.accounts import views, views_second_facteur

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.connexion, name="connexion"),
    path("deconnexion/", views.deconnexion, name="deconnexion"),
    path("activation", views.activation, name="activation"),
    path("mot-de-passe-oublie/", views.mot_de_passe_oublie, name="mot_de_passe_oublie"),
    path("mot-de-passe/reinitialisation", views.reinitialisation, name="reinitialisation"),
    # Second factor of the bureau de vote's members (see accounts/second_facteur/).
    path(
        "second-facteur/",
        views_second_facteur.verification,
        name="second_facteur_verification",
    ),
    path(
        "second-facteur/activation/",
        views_second_facteur.enrolement,
        name="second_facteur_enrolement",
    ),
    path("second-facteur/secours/", views_second_facteur.secours, name="second_facteur_secours"),
    path(
        "second-facteur/codes-de-secours/",
        views_second_facteur.codes_de_secours,
        name="second_facteur_codes",
    ),
]
