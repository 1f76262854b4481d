"""App configurations the project adjusts: the tasks backend's name in the admin, in Italian."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    """django_tasks_db as is, but named for the admin's index (its own name is fixed English)."""

    verbose_name = _("Attività in background")
