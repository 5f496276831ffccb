"""Shared fixtures: a converted copy of the bundled edition in a temporary project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent


def make_project(dest: Path) -> Path:
    """A project folder with edition.yaml, the raw sources and the editors' registers (the
    archives of the citations are read from them); no documents under tei/, no out/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "edition.yaml", dest / "edition.yaml")
    shutil.copytree(ROOT / "sources", dest / "sources")
    (dest / "tei").mkdir()
    shutil.copy(ROOT / "tei" / "registers.xml", dest / "tei" / "registers.xml")
    return dest


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled edition converted (against its registers' archives), without the registers
    file: the stages after it are tested both without registers and with them (linked)."""
    project = make_project(tmp_path_factory.mktemp("edition"))
    assert main(["convert", "-q", "--config", str(project / "edition.yaml")]) == 0
    (project / "tei" / "registers.xml").unlink()
    return project


# The HTML sites, built once per session whichever HTML test asks first.
@pytest.fixture(scope="session")
def site(converted: Path) -> Path:
    from .test_html import site_of

    return site_of(converted)


@pytest.fixture(scope="session")
def reg_site(converted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .test_html import make_reg_site

    return make_reg_site(converted, tmp_path_factory)


@pytest.fixture(scope="session")
def linked_site(converted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .test_html import make_linked_site

    return make_linked_site(converted, tmp_path_factory)


@pytest.fixture(scope="session")
def paged_site(converted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .test_html import make_paged_site

    return make_paged_site(converted, tmp_path_factory)
