"""Fixtures of the review tests: a second officer (applications in any status: tests.procedure)."""

import pytest
from django.contrib.auth.models import Group, User

from networks.constants import Role
from tests.factories import UserFactory


@pytest.fixture
def other_officer(db: None) -> User:
    user = UserFactory(username="altro-istruttore", first_name="Lucia", last_name="Bianchi")
    user.groups.add(Group.objects.get(name=Role.OFFICER.value))
    return user
