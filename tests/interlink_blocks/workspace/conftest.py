"""Fixtures for the workspace: a call with an open process, people with accounts and roles."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from interlink_blocks.blocks.schema import default_schema
from interlink_blocks.workspace.models import ProcessRole
from interlink_blocks.workspace.services import team, tree


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def call(make_call):
    return make_call(coproduction_schema=default_schema(), contact_email="team@example.org")


@pytest.fixture
def process(call):
    return tree.open_process(call)


@pytest.fixture
def person(django_user_model):
    """Returns ``person(email)``: a public account whose address is verified (as after a
    sign-in by code)."""

    def make(email: str):
        user = django_user_model.objects.create_user(email.split("@")[0], email)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    return make


@pytest.fixture
def member(person):
    """Returns ``member(process, email, role="member", team_role="citizen")``: the account,
    a member of ``process``."""

    def make(process, email, role=ProcessRole.MEMBER, team_role="citizen", name=""):
        user = person(email)
        team.add_member(
            process, user, role=role, team_role=team_role, name=name or email.split("@")[0]
        )
        return user

    return make


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
