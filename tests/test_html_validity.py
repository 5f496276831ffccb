"""Every page of the HTML edition is valid HTML for the Nu Html Checker (vnu-jar from npm,
run with Java): the whole site, the site with the edition's registers, the site with the
test register, and a page rendered from foreign TEI, checked in one JVM run because
starting Java costs more than checking."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from tests.test_html import ROOT, need, render_foreign

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(site: Path, reg_site: Path, linked_site: Path, paged_site: Path,
                                  tmp_path: Path) -> None:
    need(VNU.is_file(), "vnu-jar (npm)")
    need(shutil.which("java") is not None, "Java")
    render_foreign(tmp_path / "foreign")
    # the lists in pages: their first, second and last pages (the other pages are alike)
    paged = sorted(p for p in paged_site.rglob("*.html") if re.search(r"-p(2|\d*[05])\.html$", p.name)
                   or p.parent == paged_site)
    pages = [*site.rglob("*.html"), *reg_site.rglob("*.html"), *linked_site.rglob("*.html"), *paged,
             tmp_path / "foreign" / "foreign.html",
             *(p for p in (site.parent / "reports" / "review.html", linked_site.parent / "reports" / "review.html")
               if p.is_file())]
    assert len(pages) > 400
    run = subprocess.run(["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, pages)], capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or "{}").get("messages", []) if run.stderr.strip().startswith("{") else []
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('message', '')}" for m in messages
              if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert run.returncode == 0 and not errors, "\n".join(errors[:40]) or run.stderr[:2000]

