"""A small copy of the bundled edition for the hostile-input tests: edition.yaml, the
sources, the schemas and a few converted documents (fast to publish)."""

from __future__ import annotations

import json
import re
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
    """Every file under `root` (relative path → bytes), to see what a command changed; the
    project's lock file (out/.edition.lock, kept by every command that writes) aside."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".edition.lock"}


def one_source_project(dest: Path, documents: int | None = None) -> Path:
    """A project of the bundled edition's first source only (nk, 15 documents), with the
    editors' registers: small enough to convert and link many times in a test. With
    `documents`, the source keeps only its first documents (and its end)."""
    dest.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "edition.yaml").read_text(encoding="utf-8")
    start = text.index("\n  - id: nk\n")
    end = text.index("\n  - id: ", start + 1)
    rest = text[end + 1:]
    tail = rest[rest.index("\n", 0) + 1:]
    following = next((i for i, line in enumerate(tail.splitlines()) if line and not line.startswith(" ")), None)
    after = "\n".join(tail.splitlines()[following:]) + "\n" if following is not None else ""
    # the one source left is the only one the witnesses' base order may name
    after = re.sub(r"(?m)^(  base: )\[.*\]$", r"\1[nk]", after)
    (dest / "edition.yaml").write_text(text[:end + 1] + after, encoding="utf-8")
    (dest / "sources").mkdir()
    shutil.copy(ROOT / "sources" / "000_4958403d30913677.txt", dest / "sources")
    if documents is not None:
        source = dest / "sources" / "000_4958403d30913677.txt"
        lines = source.read_text(encoding="utf-8").split("\n")
        numbers = [i for i, line in enumerate(lines) if re.fullmatch(r"No\. \d+\s*", line)]
        lines = lines[:numbers[documents]] + lines[numbers[-1]:]  # the last number is the page's end
        source.write_text("\n".join(lines), encoding="utf-8")
    shutil.copytree(ROOT / "pipeline" / "schemas", dest / "schemas")
    (dest / "tei").mkdir()
    shutil.copy(ROOT / "tei" / "registers.xml", dest / "tei" / "registers.xml")
    return dest
