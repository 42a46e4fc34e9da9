from django.urls import path

from isoloir.elections import views

app_name = "elections"

urlpatterns = [
    path("scrutins/", views.mes_scrutins, name="mes_scrutins"),
    path("listes-electorales/", views.listes_electorales, name="listes_electorales"),
    path(
        "listes/<int:liste_id>/profession-de-foi.pdf",
        views.profession_de_foi,
        name="profession_de_foi",
    ),
    path("vote/", views.je_vote, name="je_vote"),
    path("reclamation/", views.reclamation, name="reclamation"),
]
