from django.urls import path

from isoloir.elections import views

app_name = "elections"

urlpatterns = [
    path("scrutins/", views.mes_scrutins, name="mes_scrutins"),
    path("listes-electorales/", views.listes_electorales, name="listes_electorales"),
    path(
        "listes-electorales/<int:scrutin_id>/",
        views.liste_electorale,
        name="liste_electorale",
    ),
    path(
        "listes/<int:liste_id>/profession-de-foi.pdf",
        views.profession_de_foi,
        name="profession_de_foi",
    ),
    path(
        "listes/<int:liste_id>/profession-de-foi/telechargement",
        views.profession_de_foi_telechargement,
        name="profession_de_foi_telechargement",
    ),
    path("vote/", views.je_vote, name="je_vote"),
]
