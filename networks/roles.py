"""Roles are auth groups named as in DOMAIN.md §2; this module is the one place that asks.

Group membership is cached on the user object for the request, so templates
and selectors can ask repeatedly without a query each time.
"""

from django.contrib.auth.models import AnonymousUser, User

from networks.constants import Role


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    """Return the role names (group names) of ``user``; empty for anonymous users."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ptp_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._ptp_roles = cached  # type: ignore[union-attr]
    return cached


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    """Return whether ``user`` holds ``role``."""
    return role.value in roles_of(user)


def display_name(user: User) -> str:
    """Return the name the portal shows for ``user``: the full name, else the username."""
    return user.get_full_name() or user.username


def is_applicant(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.APPLICANT)


def is_officer(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.OFFICER)


def is_manager(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.MANAGER)


def is_catalogue_admin(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.CATALOGUE_ADMIN)


# Model permissions each role receives, as ``app_label.codename``. Object-level
# access (whose application, which organisation) is enforced by the selectors.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.APPLICANT: (),
    Role.OFFICER: (
        "networks.view_organisation",
        "networks.view_offering",
        "networks.view_application",
    ),
    Role.MANAGER: ("networks.view_organisation", "networks.view_offering"),
    Role.CATALOGUE_ADMIN: tuple(
        f"networks.{action}_{model}"
        for model in (
            "economicarea",
            "studyprogramme",
            "atecomapping",
            "organisation",
            "offering",
            "call",
        )
        for action in ("view", "add", "change", "delete")
    ),
}


def sync_roles(**kwargs: object) -> None:
    """Create the role groups and give each exactly its permissions (idempotent).

    Connected to ``post_migrate``: permissions exist only after migrations ran,
    and every later model's permissions join the roles on the next migrate.
    """
    from django.contrib.auth.models import Group, Permission

    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
