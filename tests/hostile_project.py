"""A small copy of the bundled edition for the hostile-input tests: edition.yaml, the
sources, the schemas and a few converted documents (fast to publish)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def mini_project(dest: Path, converted: Path, *, documents: int = 3) -> Path:
    """A project in `dest` with the first `documents` TEI files of source nk of `converted`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(converted / "edition.yaml", dest / "edition.yaml")
    shutil.copytree(converted / "sources", dest / "sources")
    shutil.copytree(ROOT / "pipeline" / "schemas", dest / "schemas")
    tei = dest / "tei"
    (tei / "nk").mkdir(parents=True)
    shutil.copy(converted / "tei" / "edition.xml", tei / "edition.xml")
    shutil.copy(ROOT / "tei" / "registers.xml", tei / "registers.xml")  # the editors' file, not converted
    keep = sorted((converted / "tei" / "nk").glob("*.xml"))[:documents]
    for path in keep:
        shutil.copy(path, tei / "nk" / path.name)
    manifest = json.loads((converted / "tei" / ".converted.json").read_text(encoding="utf-8"))
    wanted = {"edition.xml", *(f"nk/{p.name}" for p in keep)}
    (tei / ".converted.json").write_text(json.dumps({k: v for k, v in manifest.items() if k in wanted}, indent=1),
                                         encoding="utf-8")
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (relative path → bytes), to see what a command changed."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
