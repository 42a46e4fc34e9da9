import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_page_de_connexion(client):
    reponse = client.get(reverse("accounts:connexion"))
    assert reponse.status_code == 200
    assert "Connexion au portail Élections" in reponse.content.decode()
