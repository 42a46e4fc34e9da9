from django.urls import path

from isoloir.portail import views

app_name = "portail"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("mon-compte/", views.mes_informations, name="mes_informations"),
    path("mon-compte/mot-de-passe/", views.changer_mot_de_passe, name="changer_mot_de_passe"),
    path("mon-compte/question-defi/", views.changer_question_defi, name="changer_question_defi"),
    path("mon-compte/mes-donnees.json", views.telecharger_mes_donnees, name="mes_donnees"),
    path("edito/", views.edito, name="edito"),
    path("assistance/", views.assistance, name="assistance"),
    path("assistance-telephonique/", views.assistance_telephonique, name="assistance_telephonique"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
]
