"""A team's own repository: a handful of third-party TEI files (CMIF letters) with their own
RelaxNG and an XSLT 2 Schematron named in their xml-model lines.  `edition validate` in every
output format and the pre-commit hook (in a repository that is not this one, installed with
no network) pass and fail exactly the files that jing and the Schematron's rules fail; and
`pip install .` (not editable) gives a working command with its package data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
CMIF = ROOT / "tests" / "fixtures" / "foreign" / "cmif"
REMOTE = "https://raw.githubusercontent.com/TEI-Correspondence-SIG/CMIF/master/schema/cmi-customization.rng"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SCH_PI = ('<?xml-model href="../schema/cmif.sch" type="application/xml" '
          'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n')
UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _letter(text: str) -> str:
    text = text.replace(REMOTE, "../schema/cmi-customization.rng")
    return text.replace("<TEI ", SCH_PI + "<TEI ", 1)


@pytest.fixture(scope="module")
def team_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """letters/: the two CMIF examples as published, one repaired so that it is valid, one
    valid against the grammar but breaking a Schematron rule; schema/: their RelaxNG and Schematron."""
    repo = tmp_path_factory.mktemp("team") / "repo"
    (repo / "letters").mkdir(parents=True)
    (repo / "schema").mkdir()
    shutil.copy(CMIF / "cmi-customization.rng", repo / "schema")
    shutil.copy(CMIF / "cmif.sch", repo / "schema")
    one = (CMIF / "example01_basic.xml").read_text(encoding="utf-8")
    two = (CMIF / "example02_cmi-with-printed-edition.xml").read_text(encoding="utf-8")
    (repo / "letters" / "weber.xml").write_text(_letter(one), encoding="utf-8")
    (repo / "letters" / "printed.xml").write_text(_letter(two), encoding="utf-8")
    repaired = _letter(one).replace('cert="medium"', 'cert="low"')
    (repo / "letters" / "weber-repaired.xml").write_text(repaired, encoding="utf-8")
    undated = repaired.replace('<date when="1825-05-07"/>', '<date/>')
    (repo / "letters" / "weber-undated.xml").write_text(undated, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "letters"],
                   cwd=repo, check=True)
    return repo


def schematron_oracle(path: Path) -> bool:
    """The CMIF Schematron's error rules (role="error"), evaluated directly with XPath 1.0."""
    tree = etree.parse(str(path))
    ns = {"t": TEI[1:-1]}
    bibl_ids = set(tree.xpath("//t:bibl/@xml:id", namespaces=ns))
    for desc in tree.iterfind(f".//{TEI}correspDesc"):
        if not desc.xpath("t:correspAction[@type='sent']", namespaces=ns):
            return False
        if not desc.xpath("t:correspAction[@type='received']", namespaces=ns):
            return False
        source = desc.get("source")
        if source is not None and source.split("#", 1)[-1] not in bibl_ids:
            return False
    return all(any(d.get(a) for a in ("when", "from", "to", "notBefore", "notAfter"))
               for d in tree.iterfind(f".//{TEI}date"))


def expected_failures(repo: Path) -> set[str]:
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing is not installed (scripts/setup.d/validate.sh installs it)")
    files = sorted((repo / "letters").glob("*.xml"))
    done = subprocess.run([jing, str(repo / "schema" / "cmi-customization.rng"), *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    bad = {Path(line.split(":", 1)[0]).name for line in done.stdout.splitlines() if ": error:" in line}
    bad |= {f.name for f in files if not schematron_oracle(f)}
    assert 0 < len(bad) < len(files)
    return bad


def _venv_env() -> dict[str, str]:
    """No index, no build isolation, and this environment's packages on the path: an
    install that needs nothing from the network."""
    env = dict(os.environ)
    env.update({"PYTHONPATH": sysconfig.get_paths()["purelib"], "PIP_NO_INDEX": "1",
                "PIP_NO_BUILD_ISOLATION": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return env


def failing_files(fmt: str, out: str) -> set[str]:
    if fmt == "json":
        return {Path(f["file"]).name for f in json.loads(out)["findings"] if f["severity"] == "error"}
    if fmt == "sarif":
        return {Path(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).name
                for r in json.loads(out)["runs"][0]["results"] if r["level"] == "error"}
    if fmt == "junit":
        from junitparser import Error, Failure, JUnitXml

        bad = set()
        xml = JUnitXml.fromstring(out.encode("utf-8"))
        for suite in xml:
            cases = list(suite)
            results = [r for case in cases for r in case.result]
            # the counts add up; every testcase has a time, the suite a timestamp
            assert suite.tests == len(cases) and suite.failures == sum(isinstance(r, Failure) for r in results)
            assert suite.errors == sum(isinstance(r, Error) for r in results) and suite.timestamp
            assert all(case.time is not None and case.time >= 0 for case in cases)
            for case in cases:
                failures = [r for r in case.result if isinstance(r, Failure | Error)]
                assert all(r.message and f"{case.name}:" in r.message for r in failures)  # file and line
                if failures:
                    bad.add(Path(case.name).name)
        return bad
    if fmt == "github":
        return {Path(line.split("file=", 1)[1].split(",", 1)[0]).name for line in out.splitlines()
                if line.startswith("::error ")}
    return {Path(line.split(":", 1)[0]).name for line in out.splitlines() if ": error: " in line}


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github", "sarif"])
def test_every_format_fails_the_files_jing_and_the_schematron_fail(team_repo: Path, fmt: str) -> None:
    expected = expected_failures(team_repo)
    done = subprocess.run([sys.executable, "-m", "pipeline.validate", "--format", fmt, "letters"], cwd=team_repo,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert failing_files(fmt, done.stdout) == expected


def test_pre_commit_hook_in_another_repository(team_repo: Path, tmp_path: Path) -> None:
    """`pre-commit try-repo` with this repository's .pre-commit-hooks.yaml, no network."""
    expected = expected_failures(team_repo)
    exe = Path(sys.executable).parent / "pre-commit"
    if not exe.is_file():
        pytest.skip("pre-commit is not installed (the test extra)")
    env = _venv_env() | {"PRE_COMMIT_HOME": str(tmp_path / "home")}
    done = subprocess.run([str(exe), "try-repo", str(ROOT), "edition-validate", "--all-files"], cwd=team_repo,
                          capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert failing_files("text", done.stdout) == expected
    # only the valid files: the hook passes
    valid = sorted(str(p.relative_to(team_repo)) for p in (team_repo / "letters").glob("*.xml")
                   if p.name not in expected)
    done = subprocess.run([str(exe), "try-repo", str(ROOT), "edition-validate", "--files", *valid], cwd=team_repo,
                          capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pip_install_gives_a_working_command(tmp_path: Path) -> None:
    """`pip install .` (not editable) into a fresh venv: validate finds its bundled tei_all and
    the edition's schemas as package data; html and pdf find their stylesheets."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "out", "tests",
                                                            "*.egg-info", "__pycache__", ".*cache*", "sources"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    env = _venv_env()
    py = venv / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(src)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.rmtree(src)  # nothing may come from the source tree
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "foreign" / "tei-stylesheets" / "testnotes1.xml", letters)
    shutil.copy(ROOT / "tests" / "fixtures" / "foreign" / "tei-stylesheets" / "test23.xml", letters)
    done = subprocess.run([str(venv / "bin" / "edition"), "validate", "--format", "json", "--schema", "tei_all",
                           "letters"], cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 1, done.stderr
    assert {Path(f["file"]).name for f in json.loads(done.stdout)["findings"]} == {"test23.xml"}
    for command, made in (("html", letters.parent / "out" / "html" / "test23.html"),
                          ("pdf", letters.parent / "out" / "pdf" / "tei.pdf")):
        done = subprocess.run([str(venv / "bin" / "edition"), command, "letters"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=600, env=env)
        assert done.returncode == 0 and made.is_file(), done.stderr
    installed = subprocess.run([str(py), "-c", "import pipeline, pathlib; p = pathlib.Path(pipeline.__file__).parent; "
                                "print(all((p / q).is_file() for q in ('schemas/edition.rng', 'schemas/tei_all.rng', "
                                "'xslt/lib/edition.xsl', 'xslt/html/document.xsl', 'xslt/typst/volume.xsl')))"],
                               capture_output=True, text=True, env=env, cwd=tmp_path)
    assert installed.stdout.strip() == "True", installed.stderr
