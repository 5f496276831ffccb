"""Preset layouts shipped with the pipeline (one YAML file each; docs/layouts.md)."""
