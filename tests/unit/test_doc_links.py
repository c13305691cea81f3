"""Every relative link of the documentation points to a file, and to a heading, that exists.

The docs are split by reader (README, ANALYSTS, OPERATIONS, PERFORMANCE, RELIABILITY, the schema page) and
link into each other by section; a renamed heading or a moved file would otherwise leave a dead link that
nothing notices. Links are checked as GitHub renders them: a heading's anchor is its text lower-cased,
without punctuation, spaces as hyphens; `<a id="…">` anchors count too. No network: web links are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.core.schema_page import PAGE
from pipelines.core.settings import PROJECT_ROOT

PAGES = [*sorted(PROJECT_ROOT.glob("*.md")), PAGE]
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.M)
_ID = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (hyphens and underscores kept),
    each space a hyphen."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = _FENCE.sub("", page.read_text("utf-8"))
    found: set[str] = set(_ID.findall(text))
    seen: dict[str, int] = {}
    for heading in _HEADING.findall(text):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(page: Path) -> list[str]:
    text = _FENCE.sub("", page.read_text("utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans are not links
    return [target for target in _LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", target)]


def broken_links(page: Path) -> list[str]:
    broken = []
    for target in links(page):
        path_part, _, anchor = target.partition("#")
        resolved = (page.parent / path_part).resolve() if path_part else page
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no such heading in {resolved.name}")
    return broken


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    assert not broken_links(page), f"{page.name}: " + "; ".join(broken_links(page))


def test_the_checker_finds_dead_files_and_headings(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n\n## Seed folder: rules\n", "utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n\n## Install and first run\n\n"
        "[ok](other.md#seed-folder-rules) [ok](#install-and-first-run) [ok](other.md) [web](https://x.org/#y)\n"
        "[gone](missing.md) [no heading](other.md#seed-folder) [no heading](#first-run)\n"
        "```\n[in a code block](nowhere.md)\n```\n",
        "utf-8",
    )
    assert broken_links(page) == [
        "missing.md: no such file",
        "other.md#seed-folder: no such heading in other.md",
        "#first-run: no such heading in page.md",
    ]


def test_slugs_follow_github() -> None:
    assert slug("Articles: cleaning, languages, rejects") == "articles-cleaning-languages-rejects"
    assert slug("Adding files to seeds/") == "adding-files-to-seeds"
    assert slug("`make` targets") == "make-targets"
