"""One broken contract spec per failure mode (tests/fixtures/bad_contracts/): exit 2, file and field named."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from wellspent.cli.main import main
from wellspent.errors import InputError
from wellspent.specs.contract_loader import load_contract

BAD = FIXTURES / "bad_contracts"

EXPECTED: dict[str, tuple[str, str]] = {
    "achievement_over_limit": ("rate_card[0]", "more than the limit of 1"),
    "bad_date": ("start", "not a real date"),
    "chain_cycle": ("rate_card", "form a cycle"),
    "duplicate_outcome_id": ("rate_card[1].id", "duplicate outcome id 'a'"),
    "missing_payers": ("payers", "missing required field"),
    "negative_price": ("rate_card[1].price", "greater than or equal to 0"),
    "period_after_end": ("provider_costs.fixed_periods[2]", "after the contract's last period"),
    "profile_too_long": ("referrals.profile", "5 numbers for a contract of 4 periods"),
    "shares_not_one": ("payers", "must add up to 1"),
    "syntax_error": ("", "YAML syntax error"),
    "unknown_after": ("rate_card[1].after", "no outcome with id 'x'"),
    "unknown_field": ("period_length", "unknown field"),
    "unknown_period": ("period", "'month' or 'quarter'"),
    "unknown_value_unit_cost": ("rate_card[1].value.unit_cost", "unknown unit cost id"),
    "wrong_version": ("wellspent", "expected `wellspent: contract/1`"),
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_contract_is_reported(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path, words = EXPECTED[name]
    with pytest.raises(InputError) as caught:
        load_contract(BAD / f"{name}.yaml")
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].path == path and words in problems[0].message
    assert main(["contract", str(BAD / f"{name}.yaml"), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and str(BAD / f"{name}.yaml") in captured.err and "Traceback" not in captured.err
