"""Writes of the exhibitions app, one module per concern: `builder` (the curators' changes to
exhibitions and their entries), `narrative` (text between two entries) and `consent_sync`
(flagging entries when an item's consent changes).
"""
