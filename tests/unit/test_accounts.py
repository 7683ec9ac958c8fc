from __future__ import annotations

from pathlib import Path

import pytest

from reconcile.accounts import load_registry
from reconcile.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
HEAD = """
[[entity]]
code = "LPS"
name = "六盘水市"
level = "city"

[[fund]]
code = "pension"
name = "基本养老保险基金"
keywords = ["养老"]
"""


def account(number: str, entity: str = "LPS", fund: str = "pension", role: str = "income") -> str:
    return f"""
[[account]]
number = "{number}"
name = "户名"
aliases = []
entity = "{entity}"
fund = "{fund}"
role = "{role}"
bank = "某银行"
profile = "camt"
"""


def registry_file(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "accounts.toml"
    p.write_text(HEAD + body, encoding="utf-8")
    return p


def test_the_default_deployment_has_every_county_fund_and_role() -> None:
    reg = load_registry(ROOT / "mappings" / "accounts.toml")
    assert {e.code for e in reg.entities} == {"LPS", "ZS", "LZ", "PX", "SC"}
    for county in ("ZS", "LZ", "PX", "SC"):
        for fund in ("pension", "unemployment"):
            roles = {a.role for a in reg.accounts if a.entity == county and a.fund == fund}
            assert {"income", "expense"} <= roles <= {"income", "expense", "legacy_fiscal"}
    city = {(a.fund, a.role) for a in reg.accounts if a.entity == "LPS"}
    assert city == {(f, r) for f in ("pension", "unemployment") for r in ("income", "expense", "fiscal")}


def test_account_numbers_match_without_hyphens_or_spaces() -> None:
    reg = load_registry(ROOT / "mappings" / "accounts.toml")
    abc = next(a for a in reg.accounts if "-" in a.number)
    assert reg.account(abc.number.replace("-", "")) == abc
    assert reg.account(" " + abc.number + "\t") == abc


def test_a_duplicate_number_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    p = registry_file(tmp_path, account("111") + account("111"))
    with pytest.raises(ConfigError) as err:
        load_registry(p)
    headers = [n for n, ln in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if ln == "[[account]]"]
    text = str(err.value)
    assert text.startswith(f"{p}:{headers[1]}: number") and f"{p}:{headers[0]}" in text


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [({"entity": "XX"}, "entity"), ({"fund": "medical"}, "fund"), ({"role": "savings"}, "role")],
)
def test_an_unknown_entity_fund_or_role_is_an_error_naming_the_line(
    tmp_path: Path, kwargs: dict[str, str], key: str
) -> None:
    p = registry_file(tmp_path, account("222", **kwargs))
    with pytest.raises(ConfigError) as err:
        load_registry(p)
    header = next(n for n, ln in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if ln == "[[account]]")
    assert str(err.value).startswith(f"{p}:{header}: {key}:")


def test_the_registry_says_which_entity_is_the_city_and_which_are_counties() -> None:
    from dataclasses import replace

    reg = load_registry(ROOT / "mappings" / "accounts.toml")
    assert reg.city is not None and (reg.city.code, reg.city.name, reg.city_code) == ("LPS", "六盘水市", "LPS")
    assert [e.code for e in reg.counties] == ["ZS", "LZ", "PX", "SC"]
    no_city = replace(reg, entities=reg.counties)
    assert no_city.city is None and no_city.city_code == "" and len(no_city.counties) == 4
