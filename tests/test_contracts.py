"""The domain and the formats the portal implements, kept in ``docs/contracts``.

A clone away from ``shared/`` still carries the texts it was built against, and
each copy is checked against the code that implements it; beside ``shared/`` the
copy must also be the shared file itself, so that a change of a contract reaches
the project (and these checks) on purpose.
"""

import re

from eligibility.core.rulesets import LOMBARDIA_DGR_124_2013
from networks.constants import Role
from tests.helpers import CONTRACTS_DIR, recorded_contract


def test_the_rules_of_network_format_are_the_rules_the_lombardia_ruleset_runs():
    text = recorded_contract("network-format.md")
    listed = set(re.findall(r"^\| `(PTP-[A-Z0-9-]+)` \|", text, re.M))
    assert listed == set(LOMBARDIA_DGR_124_2013.rule_codes)


def test_the_roles_of_domain_are_the_portals_groups():
    text = recorded_contract("DOMAIN.md")
    section = text[text.index("## 2. Who uses the portal") : text.index("## 3.")]
    labels = {
        match.split(" (")[0]
        for match in re.findall(r"^\| ([^|]+?) \|", section, re.M)
        if not match.startswith(("role", "-", "Public"))
    }
    assert labels == {role.value for role in Role}


def test_every_recorded_contract_is_checked():
    """catalogue.md is checked against the migration that loads it (tests/networks/test_catalogue)."""
    assert sorted(path.name for path in CONTRACTS_DIR.glob("*.md")) == [
        "DOMAIN.md",
        "catalogue.md",
        "network-format.md",
    ]
