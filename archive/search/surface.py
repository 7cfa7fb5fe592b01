"""Registers the `search` surface with archive.surfaces (filled in by the search backend work)."""
