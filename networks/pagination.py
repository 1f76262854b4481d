"""The paginator of the portal's lists (the officers' desk, the public register).

Django's ``Paginator.get_page`` answers a page number that is not a number
with the first page and one out of range with the last, both ways: ``?page=0``
or ``?page=-1`` gave the last page. Here a number below 1 gives the first
page, as a page that is not a number does; one past the end still gives the
last.
"""

from typing import Any

from django.core import paginator


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
