"""The paginator of the portal's lists (the officers' desk, the public register).

Django's ``Paginator.get_page`` answers a page number that is not a number
with the first page and one out of range with the last, both ways: ``?page=0``
or ``?page=-1`` gave the last page. Here a number below 1 gives the first
page, as a page that is not a number does; one past the end still gives the
last.
"""

from typing import Any

from django.core import paginator
from django.utils.translation import gettext as _


class Paginator(paginator.Paginator):
    """A ``Paginator`` whose ``get_page`` reads a page number below 1 as the first page."""

    def get_page(self, number: Any) -> paginator.Page:
        """Return the page ``number``: the first if it is below 1 or not a number, else the last."""
        try:
            if int(number) < 1:
                number = 1
        except (TypeError, ValueError):
            pass  # not a number: Django's get_page gives the first page
        return super().get_page(number)


def list_title(parts: list[str], page: paginator.Page) -> str:
    """Return a list's page title: ``parts``, then the page number when there are several.

    Each filtered view and page of a list is a page of its own, so its title says
    which (WCAG 2.4.2).
    """
    if page.paginator.num_pages > 1:
        parts = [
            *parts,
            _("Pagina %(number)s di %(total)s")
            % {"number": page.number, "total": page.paginator.num_pages},
        ]
    return " – ".join(parts)
