"""`edition validate`: grammars, Schematron and rules across files, for any TEI, reported for
editors and CI.

    source.py      reading files safely; positions of elements
    grammar.py     RelaxNG (XML or compact) and XML Schema; the edition's messages for editors
    schematron.py  ISO Schematron, queryBinding xslt (libxslt) or xslt2/xslt3 (Saxon)
    schemas.py     which schemas check a file (--schema, configuration, xml-model), compiled once
    crossfile.py   pointers, ids and numbers across files (with an index of the whole tree)
    engine.py      one run: options, each file's checks, the report
    formats.py     text, JSON, JUnit, GitHub annotations, SARIF
    command.py     the command line

Each finding is one line, `file:line:col: error|warning: message [rule-id]`; any rule can be
switched off by its id.  Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage or I/O error.
"""

from __future__ import annotations

from .command import add_arguments, add_parser, build, main, run
from .crossfile import Edition, check_pointer
from .engine import ConfigError, Options, plan, project_root, validate_files, validate_paths
from .formats import FORMATS, format_github, format_json, format_junit, format_sarif, format_text, render, summary
from .grammar import Grammar, SchemaError, closed_values, element_rules
from .model import ERROR, NS, TEI_NS, WARNING, XML_ID, Finding, Report, T
from .schemas import BUNDLED, Catalog, Schemas, edition_folder
from .schematron import Schematron, SchematronError
from .source import Source, collect, display_path, read, safe_parser, start_tags, syntax_finding

find_schemas = edition_folder  # the name other stages know


__all__ = ["add_arguments", "add_parser", "build", "main", "run", "Edition", "check_pointer", "ConfigError",
           "Options", "plan", "project_root", "validate_files", "validate_paths", "FORMATS", "format_github",
           "format_json", "format_junit", "format_sarif", "format_text", "render", "summary", "Grammar",
           "SchemaError", "closed_values", "element_rules", "ERROR", "NS", "T", "TEI_NS", "WARNING", "XML_ID",
           "Finding", "Report", "BUNDLED", "Catalog", "Schemas", "edition_folder", "Schematron",
           "SchematronError", "Source", "collect", "display_path", "read", "safe_parser", "start_tags",
           "syntax_finding", "find_schemas"]
