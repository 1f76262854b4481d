"""Error pages that Django renders before or outside the views: a bad Host, a refused CSRF check."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_host_outside_allowed_hosts_gets_the_400_page_not_a_500(client) -> None:
    """``CommonMiddleware`` refuses the Host before ``AuthenticationMiddleware`` sets a user.

    The 400 page is rendered with the portal's context processor, which must
    then take the request as anonymous instead of failing with a 500.
    """
    response = client.get("/poli/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Richiesta non valida" in response.content.decode()


def test_a_refused_csrf_check_gets_the_portal_page_in_italian() -> None:
    """A form sent without its CSRF token (cookies blocked, a stale tab) gets the portal's page.

    Django's own page is outside the layout and half technical ("DEBUG=True").
    """
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("simulator"), {"name": "Polo"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Modulo non più valido</h1>" in html
    assert 'id="navigazione"' in html  # the site's header and footer, like the 403 and 404 pages
    assert "DEBUG" not in html
