"""axe-core (shipped inside axe-playwright-python) run against a Playwright page."""

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}


def assert_accessible(page: object) -> None:
    """Fail with the list of serious or critical axe-core violations of the current page.

    The caller waits for the page it means (wait_for_url, a message): this only makes
    sure that page has finished loading before axe-core reads its document.
    """
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    results = _AXE.run(page)
    violations = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING_IMPACTS
    ]
    details = "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} – "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in violations
    )
    assert not violations, f"axe-core su {page.url}:\n{details}"  # type: ignore[attr-defined]
