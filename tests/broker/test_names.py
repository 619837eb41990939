"""Display names derived from names (trap 9: a null displayName crashes list-environments)."""

import pytest
from accord_broker.domain.names import generate_display_name


@pytest.mark.parametrize(
    ("name", "display"),
    [
        ("prod-eu", "Prod Eu"),
        ("billing_service", "Billing Service"),
        ("UserAPI", "User API"),
        ("userWeb", "User Web"),
        ("production", "Production"),
        ("x", "X"),
        ("--", "--"),
    ],
)
def test_a_display_name_is_derived_from_the_name(name: str, display: str) -> None:
    assert generate_display_name(name) == display
