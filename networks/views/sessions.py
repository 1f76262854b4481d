"""Login for the portal's own pages, so that a form sent after the session ended is not lost.

Django's ``login_required`` answers a form sent without a session (it
expired, or the user logged out in another tab) with the login page and,
after the login, the form's address: the typed text is gone without a word,
and an address that only takes forms (``require_POST``) shows a 405 page.
Here the user is told what happened and, after the login, is taken back to
the page the form was on; a page that can show the input again (the steps of
the application and its page, the officer's application page with its actions
and notes) gets it back through ``unsaved_input``; a file cannot come back. The input kept is what the
CSRF check already accepted, in the session that the login keeps.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

UNSAVED_KEY = "ptp_unsaved_input"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# At most this many characters of a form are kept in the session of a visitor without a
# login, counted as the session stores them (JSON, where a character beyond ASCII takes 6,
# or 12 beyond the BMP): the polo's details at their longest (six texts of 10,000
# characters) fit with a third of their letters accented, and an anonymous session cannot
# hold megabytes. A form over it is not kept, and the user is told to copy it back.
UNSAVED_MAX_CHARS = 192 * 1024
# Said above a form shown again by ``unsaved_input``: one the page saves, one it sends.
UNSAVED_MESSAGE = gettext_lazy(
    "Qui sotto c'è quanto avevi scritto prima che la sessione scadesse, non "
    "ancora salvato: controllalo e salva."
)
UNSENT_MESSAGE = gettext_lazy(
    "Qui sotto c'è quanto avevi scritto prima che la sessione scadesse, non ancora "
    "inviato: controllalo e invialo di nuovo."
)


def _form_page(request: HttpRequest) -> str:
    """Return the same-site page the form was sent from, else the page after a login."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        if parts.path:
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a login; a form sent without one is kept and the user told it was not saved."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method in SAFE_METHODS:
            return redirect_to_login(request.get_full_path())
        back = _form_page(request)
        data = {
            name: values for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"
        }
        if len(json.dumps(data)) <= UNSAVED_MAX_CHARS:
            # The page the form was on may show it again after the login (``unsaved_input``).
            request.session[UNSAVED_KEY] = {
                "page": urlsplit(back).path,
                "action": request.path,
                "data": data,
            }
            messages.warning(
                request,
                _(
                    "La sessione è scaduta, o sei uscito dal portale in un'altra scheda: quanto "
                    "hai inviato non è stato salvato. Accedi di nuovo per riprendere dalla "
                    "pagina in cui eri."
                ),
            )
        else:
            messages.warning(
                request,
                _(
                    "La sessione è scaduta, o sei uscito dal portale in un'altra scheda: quanto "
                    "hai inviato non è stato salvato, ed è troppo lungo per tenerlo fino al "
                    "nuovo accesso. Prima di accedere torna alla pagina precedente del browser "
                    "e copia il testo che hai scritto."
                ),
            )
        return redirect_to_login(back)

    return wrapped


def unsaved_input(request: HttpRequest) -> tuple[str, QueryDict] | None:
    """Return, once, the form sent from this page before the last login: its address and data.

    The address says which of the page's forms it was (the page's own, or an action's);
    the caller shows it again bound, after checking that the address is one of its forms.
    """
    kept = request.session.get(UNSAVED_KEY)
    if not isinstance(kept, dict) or kept.get("page") != request.path:
        return None
    del request.session[UNSAVED_KEY]
    data = QueryDict(mutable=True)
    for name, values in kept.get("data", {}).items():
        data.setlist(name, values)
    return str(kept.get("action", "")), data
