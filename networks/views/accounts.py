"""Account views that add to Django's auth views."""

from axes.utils import reset as axes_reset
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set the new password from the mailed link and lift the user's login lockout.

    The lockout page sends a locked-out user here; the link proves they hold the
    mailbox, so their new password works at once instead of after the cool-off.
    """

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
