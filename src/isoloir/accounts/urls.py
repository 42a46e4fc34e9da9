from django.urls import path

from isoloir.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("connexion/", views.connexion, name="connexion"),
    path("deconnexion/", views.deconnexion, name="deconnexion"),
    path("activation", views.activation, name="activation"),
    path("mot-de-passe-oublie/", views.mot_de_passe_oublie, name="mot_de_passe_oublie"),
    path("mot-de-passe/reinitialisation", views.reinitialisation, name="reinitialisation"),
    path("mon-compte/", views.mes_informations, name="mes_informations"),
    path("edito/", views.edito, name="edito"),
    path("assistance/", views.assistance, name="assistance"),
    path("assistance-telephonique/", views.assistance_telephonique, name="assistance_telephonique"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
]
