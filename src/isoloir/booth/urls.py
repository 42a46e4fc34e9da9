from django.urls import path

from isoloir.booth import views

app_name = "booth"

urlpatterns = [
    path("portail/vote/espace/", views.espace_de_vote, name="espace_de_vote"),
    path("portail/vote/scrutin/<int:scrutin_id>/", views.isoloir, name="isoloir"),
    path(
        "portail/vote/scrutin/<int:scrutin_id>/accuse.pdf",
        views.telecharger_accuse,
        name="accuse_pdf",
    ),
    path("tableau/", views.tableaux, name="tableaux"),
    path("tableau/<slug:campagne>/<slug:scrutin>/", views.tableau, name="tableau"),
    path(
        "tableau/<slug:campagne>/<slug:scrutin>/urne.jsonl",
        views.bulletins_publies,
        name="bulletins_publies",
    ),
]
