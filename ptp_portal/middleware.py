"""Project middleware."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

REFRESHED_KEY = "_ptp_refreshed"


class SlidingSessionMiddleware:
    """Keep a session alive while it is used, writing it at most every few minutes.

    ``SESSION_COOKIE_AGE`` is an idle timeout: each use of the portal should
    push the expiry forward. Django's ``SESSION_SAVE_EVERY_REQUEST`` does so
    with a database write on every request; this writes only when the last
    refresh is older than ``SESSION_REFRESH_SECONDS``, so a session expires
    after between ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and
    ``SESSION_COOKIE_AGE`` seconds of inactivity. Must come after
    ``SessionMiddleware``.

    A response that shared caches may keep (``Cache-Control: public``, the open
    data) never refreshes it: the refresh sends the session cookie, which a
    cache would then hand out with the file. The next page refreshes it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.session_key is None:
            return response
        directives = response.get("Cache-Control", "").lower().replace(" ", "").split(",")
        if "public" in directives:
            return response
        now = int(time.time())
        refreshed = session.get(REFRESHED_KEY, 0)
        if session.modified or now - refreshed >= settings.SESSION_REFRESH_SECONDS:
            session[REFRESHED_KEY] = now
        return response


class PrivatePagesNotCachedMiddleware:
    """Keep every page served to a logged-in user out of shared and browser caches.

    Their pages hold personal data (applications, contacts, officers' notes): a
    proxy must not keep them, nor the browser after a logout on a shared
    computer. A view that chose its own ``Cache-Control`` keeps it. Must come
    after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class MethodNotAllowedPageMiddleware:
    """Give a bodiless 405 (``require_POST``, a view's ``http_method_not_allowed``) a page.

    Opening a form's address directly (a bookmark, a reload after a POST) would
    show a blank page. The page is rendered into the same response, so the
    status and the ``Allow`` header stay. Must come last in ``MIDDLEWARE``:
    the middleware above it (CSRF, session, messages, CSP) then treat the page
    as any other, and the template gets the user and the CSP nonce.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            response.content = render_to_string("405.html", request=request).encode()
        return response


class ItalianFirstLocaleMiddleware(LocaleMiddleware):
    """Italian first (DOMAIN.md §7): English only for who chose it with the language switch.

    Django's own middleware follows the browser's Accept-Language, so an English browser
    met an English portal on its first visit; a regional portal speaks Italian until asked
    otherwise. The choice is the language cookie that ``set_language`` writes.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else ""
        except LookupError:
            language = ""
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
