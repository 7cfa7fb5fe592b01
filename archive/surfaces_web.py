"""Registers the `web` surface (item pages, media derivatives) with archive.surfaces."""
