"""One document, several witnesses: documents printed more than once are found (detect),
their words aligned (collate) and merged into one TEI document with a list of witnesses
and an apparatus in parallel segmentation (merge).  See docs/witnesses.md."""
