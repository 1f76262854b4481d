"""App configurations the project adjusts: the admin's site, the tasks backend's name in Italian."""

from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin on the portal's site (``ptp_portal.admin_site``: a checked "view on site")."""

    default_site = "ptp_portal.admin_site.PortalAdminSite"


class TasksDatabaseConfig(TasksAppConfig):
    """django_tasks_db as is, but named for the admin's index (its own name is fixed English)."""

    verbose_name = _("Attività in background")
