"""Account views that add to Django's auth views."""

import hashlib

from axes.utils import reset as axes_reset
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from networks.ratelimit import count_in_window
from ptp_portal.client_ip import client_ip

PASSWORD_RESET_EMAIL_LIMIT = 3  # reset mails per address per window
PASSWORD_RESET_CLIENT_LIMIT = 10  # reset requests per client address per window
PASSWORD_RESET_WINDOW_SECONDS = 3600


class PasswordResetView(auth_views.PasswordResetView):
    """Mail a reset link, at most a few times per address and per client in an hour.

    Without a limit anyone could make the portal send any number of mails to a
    registered address. Over the per-address limit nothing is sent and the
    usual "done" page is shown: saying "limited" would tell a stranger that
    someone asked for this address (and differ from an unknown address, which
    also gets "done"). Over the per-client limit the form comes back, filled
    in, with an HTTP 429 and an Italian message to retry later: this says
    nothing about any address, and a user who keeps asking (a school office
    behind one shared address) learns why no mail is coming instead of
    waiting for it. Addresses are counted whether or not they belong to a
    user, so the two cases behave alike.
    """

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        client = client_ip(self.request) or "unknown"
        client_key = f"ptp:password-reset:client:{client}"
        if count_in_window(client_key, PASSWORD_RESET_WINDOW_SECONDS) > PASSWORD_RESET_CLIENT_LIMIT:
            form.add_error(
                None,
                _(
                    "Troppe richieste di recupero della password da questo indirizzo di rete. "
                    "Riprova più tardi, al massimo tra un'ora."
                ),
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(PASSWORD_RESET_WINDOW_SECONDS)
            return response
        # Hashed: a cache key has a bounded length and no spaces, an address may have both.
        email = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        email_key = f"ptp:password-reset:email:{email}"
        if count_in_window(email_key, PASSWORD_RESET_WINDOW_SECONDS) > PASSWORD_RESET_EMAIL_LIMIT:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set the new password from the mailed link and lift the user's login lockout.

    The lockout page sends a locked-out user here; the link proves they hold the
    mailbox, so their new password works at once instead of after the cool-off.
    """

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
