"""Edition pipeline: raw texts of document collections → TEI P5 → validation → HTML/PDF/deposit."""

__version__ = "0.1.0"
