"""Settings split by environment: base, dev, test, prod. Every value comes from ``env``."""

from django.core.exceptions import ImproperlyConfigured


class SettingsEnvironmentError(ImproperlyConfigured):
    """An environment variable the settings need is missing or malformed.

    ``manage.py`` prints it as one line, without a traceback: the operator's
    fix is in the environment, not in the code.
    """
