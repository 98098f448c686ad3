"""The README documents every setting that config.py reads from the environment."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def environment_variables_read_by_config() -> set[str]:
    source = (ROOT / "config.py").read_text()
    return set(re.findall(r'env_(?:str|int|bool|list)\(\s*"([A-Z0-9_]+)"', source))


def test_every_setting_is_in_the_readme_configuration_table():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z0-9_]+)`", table))

    missing = environment_variables_read_by_config() - documented

    assert not missing, f"settings missing from README's configuration table: {sorted(missing)}"
