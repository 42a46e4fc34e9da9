from django.urls import URLPattern

app_name = "gestion_reclamations"

urlpatterns: list[URLPattern] = []
