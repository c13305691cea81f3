"""Parsing of the YAML data the package ships (event rules, word lists, cleaning rules).

Every process that ingests parses ~80 KB of it (verbs.yaml alone is 34 KB): PyYAML's pure-Python parser
takes ~0.5 s of CPU for that, its libyaml binding ~0.05 s for the same mappings. That cost is paid by every
`python -m pipelines run`, every worker and every test process, so the binding is used when PyYAML was
built with it (its wheels are); otherwise the pure-Python SafeLoader gives the same result, slower. Both
construct with SafeConstructor: plain data only. Files users write (sources.yaml, overrides) keep
yaml.safe_load, whose error messages they read.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """The data of one packaged YAML document (a mapping for every file the package ships)."""
    return yaml.load(text, Loader=_LOADER)
