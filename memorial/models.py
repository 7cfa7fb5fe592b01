"""The project has no tables of its own: the shared generation row lives in the archive
(archive/generation.py, archive.models.Generation)."""
