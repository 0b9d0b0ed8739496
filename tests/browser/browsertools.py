"""Where the browser tests find their tools, and what they do when one is missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "node_modules/axe-core/axe.min.js"
SCREENSHOTS = REPO / "screenshots"
# Without the background-networking flags Chromium keeps calling home, and this network refuses it.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def need(condition: bool, what: str) -> None:
    """Skip without the tool, or fail where the tools are required (CI sets DIGEST_REQUIRE_BROWSER=1)."""
    if condition:
        return
    if os.environ.get("DIGEST_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} is missing; .ci/run installs it")
    pytest.skip(f"{what} is not installed (bash .ci/run installs it)")


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
