"""No command ever reads an external resource through XML: one parser factory
(pipeline/xmlparse.py) for every lxml parse and every Saxon processor, and hostile TEI
files (external entities, DTDs, network entities) are refused by every command."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest

from pipeline import xmlparse
from pipeline.cli import main
from pipeline.errors import EditionError

from .hostile_project import mini_project

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"

# Every way of parsing XML in Python that bypasses the factory.
FORBIDDEN = re.compile(
    r"etree\.(?:parse|fromstring|fromstringlist|XML|HTML|iterparse|XMLParser|HTMLParser|XMLID|XMLDTDID|DTD"
    r"|parseid|ETCompatXMLParser)\s*\("
    r"|\.parse_xml\s*\(|PySaxonProcessor\s*\(|\.xinclude\s*\("
    r"|\bxml\.etree\b|\bxml\.dom\b|\bminidom\b|\bxml\.sax\.(?:parse|make_parser|parseString)\b"
    r"|\blxml\.(?:html|objectify)\b|\bdefusedxml\b|\bxmltodict\b|\bBeautifulSoup\b")


def test_only_the_factory_parses_xml() -> None:
    offenders = []
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.name == "xmlparse.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line.split("#", 1)[0]):
                offenders.append(f"{path.relative_to(PIPELINE.parent)}:{number}: {line.strip()}")
    assert not offenders, "XML parsed outside pipeline/xmlparse.py:\n" + "\n".join(offenders)


def test_the_grep_would_catch_a_bypass() -> None:
    for line in ("tree = etree.parse(str(path))", "root = etree.fromstring(data)",
                 "node = proc.parse_xml(xml_file_name=f)", "p = PySaxonProcessor(license=False)",
                 "from xml.dom import minidom", "tree.xinclude()"):
        assert FORBIDDEN.search(line), line


SECRET = "TOP-SECRET-4711"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE r [<!ENTITY x SYSTEM "{uri}">]>',
    '<!DOCTYPE r SYSTEM "{uri}">',
    '<!DOCTYPE r [<!ENTITY % p SYSTEM "{uri}"> %p;]>',
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY x "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
])
def test_factory_refuses_doctypes_and_entities(prolog: str, secret: Path) -> None:
    data = (prolog.format(uri=secret.as_uri()) + "\n<r>&x;</r>").encode()
    with pytest.raises(EditionError) as err:
        xmlparse.parse_bytes(data, path="hostile.xml")
    assert SECRET not in str(err.value)
    assert str(err.value).startswith("hostile.xml:")


def test_factory_limits_depth_and_reports_the_line() -> None:
    deep = ("<a>" * 100_000 + "</a>" * 100_000).encode()
    with pytest.raises(EditionError, match=r"hostile\.xml:1: error: not well-formed XML"):
        xmlparse.parse_bytes(deep, path="hostile.xml")
    with pytest.raises(EditionError, match=r"bad\.xml:3: error"):
        xmlparse.parse_bytes(b"<r>\n<a>\n</b></r>", path="bad.xml")


def test_saxon_never_reads_a_doctype(tmp_path: Path, secret: Path) -> None:
    hostile = tmp_path / "x.xml"
    hostile.write_text(f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]><r>&x;</r>', encoding="utf-8")
    processor = xmlparse.saxon_processor()
    with pytest.raises(Exception) as err:  # Saxon's own parser refuses, even without the lxml check
        processor.parse_xml(xml_file_name=str(hostile))
    assert SECRET not in str(err.value)
    with pytest.raises(EditionError, match="DOCTYPE"):
        xmlparse.saxon_parse_file(processor, hostile)


class Listener:
    """A loopback server that counts the connections a command makes to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.hits = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/x"

    def _run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


def _poison(path: Path, system_id: str) -> None:
    """Puts an external entity into a TEI file, used in its first paragraph."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(<\?xml[^>]*\?>)", r'\1<!DOCTYPE TEI [<!ENTITY x SYSTEM "' + system_id + '">]>', text, count=1)
    text = text.replace("<p>", "<p>&x;", 1)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("command", ["link", "validate", "html", "pdf", "deposit"])
def test_no_command_reads_an_external_entity(command: str, converted: Path, tmp_path: Path, secret: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    project = mini_project(tmp_path / "project", converted)
    target = sorted((project / "tei" / "nk").glob("*.xml"))[0]
    listener = Listener()
    try:
        for system_id in (secret.as_uri(), listener.url):
            _poison(target, system_id)
            code = main([command, "--config", str(project / "edition.yaml"), "-q"])
            captured = capsys.readouterr()
            assert code == 1, captured.err
            assert "Traceback" not in captured.out + captured.err
            assert target.name in captured.out + captured.err  # the file is named
            target.write_bytes((converted / "tei" / "nk" / target.name).read_bytes())
    finally:
        listener.close()
    assert listener.hits == 0
    for path in project.rglob("*"):
        if path.is_file() and path != secret:
            assert SECRET.encode() not in path.read_bytes(), path
