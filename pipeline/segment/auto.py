"""`layout: auto`: the layout inferred from the text itself."""

from __future__ import annotations

from ..sources import SourceText
from .layout import Layout


def infer(src: SourceText) -> Layout:
    return Layout(name="auto", chosen="nothing found")
