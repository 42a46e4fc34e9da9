from django.urls import URLPattern

app_name = "gestion_listes"

urlpatterns: list[URLPattern] = []
