from django.urls import path

from isoloir.counting import views, vues_archive, vues_bureau

app_name = "counting"

urlpatterns = [
    path("resultats/<slug:campagne>/", views.publication, name="publication"),
    path("resultats/<slug:campagne>/<slug:scrutin>/", views.resultats, name="resultats"),
    path(
        "resultats/<slug:campagne>/<slug:scrutin>/proces-verbal.pdf",
        views.proces_verbal,
        name="proces_verbal",
    ),
    path("resultats/<slug:campagne>/archive.zip", vues_archive.archive, name="archive"),
    path(
        "resultats/<slug:campagne>/bureau-<int:bureau_id>/archive.zip",
        vues_archive.archive_du_bureau,
        name="archive_du_bureau",
    ),
    path("bureau/", vues_bureau.espace, name="espace"),
    path("bureau/participation/", views.participation, name="participation"),
    path("bureau/<int:bureau_id>/", vues_bureau.tableau_de_bord, name="bureau"),
    path(
        "bureau/<int:bureau_id>/ceremonie/ouvrir/",
        vues_bureau.ouvrir_ceremonie,
        name="ouvrir_ceremonie",
    ),
    path("bureau/<int:bureau_id>/ceremonie/", vues_bureau.page_ceremonie, name="ceremonie"),
    path("bureau/<int:bureau_id>/scellement/", vues_bureau.page_scellement, name="scellement"),
    path(
        "bureau/<int:bureau_id>/depouillement/<int:scrutin_id>/",
        vues_bureau.page_depouillement,
        name="depouillement",
    ),
]
