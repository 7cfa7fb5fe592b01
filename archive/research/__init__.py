"""Vetted research access: researchers an archivist approves read items whose consent gives `research`.

`models.py` (applications and IIIF access tokens), `services.py` (apply, approve, refuse, revoke,
tokens; each audited), `selectors.py` (who may read, what they may read: through archive.consent),
`views.py` (the reading room and the archivist's applications, under /<lang>/curator/research/).
The IIIF Authorization Flow 2.0 services live upstairs in exhibitions/iiif/research.py.
"""
