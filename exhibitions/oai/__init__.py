"""OAI-PMH 2.0 at /oai/: other archives harvest what the `iiif` scope shares (docs/interoperability.md)."""
