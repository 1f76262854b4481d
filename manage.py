#!/usr/bin/env python
"""Django's command-line utility for the PTP portal."""

import os
import sys


def main() -> None:
    """Run an administrative task."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptp_portal.settings.dev")
    from django.core.management import execute_from_command_line

    from ptp_portal.settings import SettingsEnvironmentError

    try:
        execute_from_command_line(sys.argv)
    except SettingsEnvironmentError as error:
        sys.exit(f"{os.environ['DJANGO_SETTINGS_MODULE']}: {error}")


if __name__ == "__main__":
    main()
