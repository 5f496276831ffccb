"""Regenerates schemas/edition.rng from schemas/edition.rnc.

    pip install -e '.[schema]'        # installs rnc2rng
    python schemas/build.py           # writes schemas/edition.rng
    python schemas/build.py --check   # exit 1 if edition.rng is out of date (for CI)

The .rnc is the source people read and review; the generated .rng is committed so that lxml
and XML editors (oXygen, via the xml-model processing instructions) use it directly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RNC = HERE / "edition.rnc"
RNG = HERE / "edition.rng"
BANNER = "<!-- Generated from edition.rnc by schemas/build.py (rnc2rng): do not edit by hand. -->\n"


def generate(rnc: Path = RNC) -> str:
    """The RelaxNG XML text for the compact schema `rnc`."""
    try:
        import rnc2rng
    except ImportError:
        sys.exit("schemas/build.py: rnc2rng is not installed; run: pip install -e '.[schema]'")
    root = rnc2rng.loads(rnc.read_text(encoding="utf-8"))
    xml = rnc2rng.dumps(root, indent="  ")
    head, sep, rest = xml.partition("?>\n")
    if not sep:
        return BANNER + xml
    return head + sep + BANNER + rest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate schemas/edition.rng from schemas/edition.rnc")
    parser.add_argument("--check", action="store_true", help="only check that edition.rng is up to date")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = RNG.read_text(encoding="utf-8") if RNG.exists() else ""
        if current != text:
            print("schemas/edition.rng is out of date: run python schemas/build.py", file=sys.stderr)
            return 1
        print("schemas/edition.rng is up to date")
        return 0
    RNG.write_text(text, encoding="utf-8")
    print(f"wrote {RNG.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
