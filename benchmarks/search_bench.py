"""Benchmark of the site's search at this edition's size (1×) and at a hundred times it.

    .venv/bin/python benchmarks/search_bench.py [--scale 100] [--runs 5] [--pagefind SCALE]

1. Builds the site of the bundled edition (tei/) into a scratch folder: the 1× index.
2. Makes a 100× edition from its search records: every document a hundred times over,
   each copy with its own id and a share of its names turned into new words (as a larger
   edition brings new people and places), so that the vocabulary grows as well as the
   postings; builds its index next to the 1× site's search page and assets.
3. Opens the search page in Debian's Chromium (Playwright) for a set of queries, from
   file:// and from a local HTTP/1.1 server, each in a fresh browser context, and prints for
   each size: the median time from navigation to the first result on the page
   (`data-search-first-ms`, set by search.js; results are shown as they arrive, in their
   order) and to the whole first page of 20 (`data-search-ms`), the bytes the query loads (HTTP responses:
   everything, and the index files alone), and the index's size and file count.
4. With --pagefind 1 (or 100; and the pagefind-bin package installed): the same queries with
   Pagefind over one HTML page per record, over HTTP (Pagefind cannot load from file://).

Prints the machine; other processes on it disturb the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.html import build_html, search  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
QUERIES = ["q=Kars", "q=Turkey", "q=the", "q=%22Balkan+entente%22", "q=treaty&stem=1", "q=negotiat*",
           "q=Ankara&from=1939&to=1940", "type=telegram", "q=Chicherin&collection=nk"]
SYLLABLES = ["ar", "ev", "ko", "li", "man", "ov", "pa", "ri", "sin", "ta", "ul", "ve", "za", "ch", "dor", "en"]
NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")


def scale_records(records: list[search.Record], scale: int) -> list[search.Record]:
    """`scale` copies of every record, copy k > 0 with about a third of its capitalised
    words given a new ending that depends on the word and k (new names)."""
    out: list[search.Record] = []
    for rec in records:
        for k in range(scale):
            if k == 0:
                out.append(rec)
                continue

            def rename(m: re.Match[str], k: int = k) -> str:
                h = zlib.crc32(f"{m.group(0)}/{k}".encode())
                if h % 3:
                    return m.group(0)
                return m.group(0) + SYLLABLES[h // 3 % 16] + SYLLABLES[k % 16] + (str(k // 16) if k >= 16 else "")

            out.append(replace(rec, id=f"{rec.id}-x{k}", url=f"documents/{rec.id}-x{k}.html",
                               heading=NAME.sub(rename, rec.heading), text=NAME.sub(rename, rec.text)))
    return out  # in calendar order: the copies of a document sit beside it


def write_index(site: Path, dest: Path, records: list[search.Record]) -> tuple[float, float, int, int]:
    """The search page and assets of `site` with the index of `records`; returns the
    seconds to build the index (wall, CPU), its bytes and files."""
    dest.mkdir(parents=True)
    shutil.copy(site / "search.html", dest / "search.html")
    shutil.copytree(site / "assets", dest / "assets")
    t0, c0 = time.perf_counter(), time.process_time()
    files = search.build_index(records)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    for path, data in files.items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return seconds, cpu, sum(len(d) for d in files.values()), len(files)


# Python's own static server, but speaking HTTP/1.1 (kept-alive connections, as every real
# web server does: `python -m http.server` speaks HTTP/1.0, a new connection per file).
STATIC_SERVER = """
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms wait between them
    def log_message(self, *args):
        pass
handler = functools.partial(Handler, directory=sys.argv[2])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"""


def serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A static web server in its own process, as a real one would be: a server thread in
    this process would share its interpreter lock with Playwright's client and slow both."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", STATIC_SERVER, str(port), str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                break
        except OSError:
            time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}/"


def measure(browser: Any, base: str, query: str, runs: int) -> tuple[float, float, int, int, int]:
    """Median ms to the first result and to the whole first page of results (20) over
    `runs` fresh contexts; then, in one more run
    whose response bodies are read (which costs time), the bytes loaded (all, index only)
    and the number of results."""
    times: list[float] = []
    whole: list[float] = []
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "search.html?" + query)
        page.wait_for_selector("html[data-search-ms]", timeout=60_000)
        first = page.get_attribute("html", "data-search-first-ms")  # none when nothing is found
        times.append(float(first or page.get_attribute("html", "data-search-ms") or "nan"))
        whole.append(float(page.get_attribute("html", "data-search-ms") or "nan"))
        context.close()
    context = browser.new_context()
    page = context.new_page()
    sizes: dict[str, int] = {}

    def done(response: Any) -> None:
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # noqa: BLE001 - a response without a body
            sizes[response.url] = 0

    page.on("response", done)
    page.goto(base + "search.html?" + query)
    page.wait_for_selector("html[data-search-ms]", timeout=60_000)
    count = page.locator("#search-results li").count()
    context.close()
    total = sum(sizes.values())
    index = sum(v for k, v in sizes.items() if "/search/" in k)
    return statistics.median(times), statistics.median(whole), total, index, count


def pagefind_measure(browser: Any, base: str, query: str, runs: int) -> tuple[float, int, int]:
    times = []
    total = 0
    count = 0
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        sizes: dict[str, int] = {}

        def done(response: Any, sizes: dict[str, int] = sizes) -> None:
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # noqa: BLE001 - closed before its body was read
                sizes[response.url] = 0

        page.on("response", done)
        page.goto(base + "pf.html")
        q = re.sub(r"^q=", "", query.split("&")[0]).replace("+", " ").replace("%22", '"')
        ms, count = page.evaluate("""async q => {
            const pf = await import('./pagefind/pagefind.js');
            const r = await pf.search(q);
            await Promise.all(r.results.slice(0, 20).map(x => x.data()));
            return [performance.now(), r.results.length]; }""", q)
        times.append(ms)
        total = sum(sizes.values())
        context.close()
    return statistics.median(times), total, count


def pagefind_site(records: list[search.Record], dest: Path) -> tuple[float, int, int] | None:
    exe = shutil.which("pagefind") or shutil.which("pagefind_extended")
    if exe is None:
        try:
            import pagefind_bin  # type: ignore[import-not-found]  # noqa: F401
        except ImportError:
            return None
        cmd = [sys.executable, "-m", "pagefind_bin"]
    else:
        cmd = [exe]
    dest.mkdir(parents=True)
    (dest / "pf.html").write_text("<!doctype html><title>pf</title><p>pagefind</p>", encoding="utf-8")
    from html import escape

    for rec in records:
        (dest / f"{rec.id}.html").write_text(
            f"<!doctype html><html lang='en'><title>{escape(rec.heading)}</title><body data-pagefind-body>"
            f"<h1>{escape(rec.heading)}</h1><p>{escape(rec.text)}</p></body></html>", encoding="utf-8")
    t0 = time.perf_counter()
    subprocess.run([*cmd, "--site", str(dest)], check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    files = [p for p in (dest / "pagefind").rglob("*") if p.is_file()]
    return seconds, sum(p.stat().st_size for p in files), len(files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--config", default=str(ROOT / "edition.yaml"))
    ap.add_argument("--pagefind", type=int, default=0, metavar="SCALE",
                    help="also measure Pagefind (pagefind-bin) over HTTP, at 1× and up to this scale")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"machine: {platform.node()}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        work = Path(tmp)
        site = build_html(Path(args.config), out=work / "site")
        sizes = {1: site.records, args.scale: scale_records(site.records, args.scale)}
        folders = {}
        for scale, records in sizes.items():
            folders[scale] = work / f"x{scale}"
            seconds, cpu, size, files = write_index(work / "site", folders[scale], records)
            largest = max(p.stat().st_size for p in (folders[scale] / "search").rglob("*") if p.is_file())
            print(f"{scale}×: {len(records)} documents, {sum(len(r.text) for r in records) / 1e6:.1f} MB of text; "
                  f"index {size / 1e6:.1f} MB in {files} files (largest {largest / 1024:.0f} KB), "
                  f"built in {seconds:.1f} s ({cpu:.1f} s CPU)")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            for scale, folder in folders.items():
                server, base = serve(folder)
                print(f"\n{scale}×  query | ms to the first result, file:// / http | ms to 20 results, file:// / http"
                      " | KB loaded (index) | results shown")
                for q in QUERIES:
                    ms_file, all_file, _, _, _ = measure(browser, folder.resolve().as_uri() + "/", q, args.runs)
                    ms_http, all_http, total, index, count = measure(browser, base, q, args.runs)
                    print(f"  {q:32} {ms_file:5.0f} {ms_http:5.0f}   {all_file:5.0f} {all_http:5.0f}"
                          f" {total / 1024:8.0f} ({index / 1024:.0f}) {count:5}")
                server.terminate()
            if args.pagefind:
                for scale, records in sizes.items():
                    if scale > args.pagefind:
                        continue
                    built = pagefind_site(records, work / f"pf{scale}")
                    if built is None:
                        print("\nPagefind: pagefind-bin is not installed (pip install pagefind-bin)")
                        break
                    print(f"\nPagefind {scale}×: index {built[1] / 1e6:.1f} MB in {built[2]} files, "
                          f"built in {built[0]:.1f} s\n  query | ms to 20 results' data (http) | KB loaded | results")
                    server, base = serve(work / f"pf{scale}")
                    for q in QUERIES:
                        if not q.startswith("q="):
                            continue
                        ms, total, count = pagefind_measure(browser, base, q, args.runs)
                        print(f"  {q:32} {ms:7.0f} {total / 1024:8.0f} {count:5}")
                    server.terminate()
            browser.close()


if __name__ == "__main__":
    main()
