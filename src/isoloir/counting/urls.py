from django.urls import path

from isoloir.counting import views, views_archive, views_bureau

app_name = "counting"

urlpatterns = [
    path("resultats/<slug:campagne>/", views.publication, name="publication"),
    path("resultats/<slug:campagne>/<slug:scrutin>/", views.resultats, name="resultats"),
    path(
        "resultats/<slug:campagne>/<slug:scrutin>/proces-verbal.pdf",
        views.proces_verbal,
        name="proces_verbal",
    ),
    path("resultats/<slug:campagne>/archive.zip", views_archive.archive, name="archive"),
    path(
        "resultats/<slug:campagne>/bureau-<int:bureau_id>/archive.zip",
        views_archive.archive_du_bureau,
        name="archive_du_bureau",
    ),
    path("bureau/", views_bureau.espace, name="espace"),
    path("bureau/participation/", views.participation, name="participation"),
    path("bureau/<int:bureau_id>/", views_bureau.tableau_de_bord, name="bureau"),
    path(
        "bureau/<int:bureau_id>/ceremonie/ouvrir/",
        views_bureau.ouvrir_ceremonie,
        name="ouvrir_ceremonie",
    ),
    path("bureau/<int:bureau_id>/ceremonie/", views_bureau.page_ceremonie, name="ceremonie"),
    path("bureau/<int:bureau_id>/scellement/", views_bureau.page_scellement, name="scellement"),
    path(
        "bureau/<int:bureau_id>/depouillement/<int:scrutin_id>/",
        views_bureau.page_depouillement,
        name="depouillement",
    ),
]
