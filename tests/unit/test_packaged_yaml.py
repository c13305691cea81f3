"""The package's own YAML data is parsed by libyaml (a tenth of the start-up CPU of the pure-Python
parser) and reads exactly as yaml.safe_load reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.core import packaged_yaml

PACKAGE = Path(packaged_yaml.__file__).parent
DATA_FILES = sorted(p for folder in ("rules", "nlp/data") for p in (PACKAGE / folder).rglob("*.yaml"))


def test_the_package_ships_yaml_data() -> None:
    assert {p.name for p in DATA_FILES} >= {"verbs.yaml", "nouns.yaml", "cleaning.yaml", "names.yaml"}


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_packaged_yaml_is_parsed_by_libyaml() -> None:
    assert packaged_yaml._LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_packaged_yaml_reads_as_safe_load(path: Path) -> None:
    text = path.read_text("utf-8")
    assert packaged_yaml.load(text) == yaml.safe_load(text)


def test_packaged_yaml_constructs_plain_data_only() -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        packaged_yaml.load("!!python/object/apply:os.system ['true']")
