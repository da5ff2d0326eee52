"""MkDocs hook: the site's math is rendered by KaTeX from the copy npm installs for the tests
(tests/katex, pinned by its lock file), copied into the built site; nothing is fetched from
the network at build time or when a page is read."""

from __future__ import annotations

import shutil
from pathlib import Path

KATEX = Path(__file__).resolve().parents[1] / "tests" / "katex" / "node_modules" / "katex" / "dist"


def on_post_build(config, **kwargs) -> None:
    if not (KATEX / "katex.min.js").is_file():
        raise SystemExit(f"KaTeX is missing at {KATEX}: run `npm ci --prefix tests/katex` first")
    target = Path(config["site_dir"]) / "katex"
    shutil.copytree(KATEX, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.mjs", "README.md"))
