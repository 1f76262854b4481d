"""App configuration of the portal's domain."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Poli tecnici professionali")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Keep the role groups in step with the models after every migrate.

        Also registers the ``folded`` lookup of name searches, and on SQLite the SQL
        function it needs (``networks.search``).
        """
        from networks import checks  # noqa: F401 - registers the system checks
        from networks.roles import sync_roles
        from networks.search import register_sqlite_translate

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="networks.sync_roles")
        connection_created.connect(
            register_sqlite_translate, dispatch_uid="networks.sqlite_translate"
        )
