"""The README's list of outputs is the kinds' declarations, not a second list."""

from __future__ import annotations

from pathlib import Path

from jumeau.scenario.kinds import markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_lists_the_declared_outputs():
    """The block between the markers equals `jumeau --lang en kinds --markdown`."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- outputs:start -->\n", 1)[1].split("<!-- outputs:end -->", 1)[0]
    assert block == markdown("en"), "regenerate it: jumeau --lang en kinds --markdown"
