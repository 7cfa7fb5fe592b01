"""Public pages of the archive: items, about, support, the contribution journey, the management page.

Views are thin: reads go through archive.selectors (and so through the consent policy), writes
through archive.contributions, the journey's draft through archive.drafts. Every page works
without JavaScript. URL names are in archive/urls.py.
"""

from archive.views.journey import (
    contribute,
    contribute_consent,
    contribute_files,
    contribute_receipt,
    contribute_review,
)
from archive.views.management import manage, manage_change, receipt
from archive.views.pages import SHOWN_PARAM, about, item_detail, support

__all__ = [
    "SHOWN_PARAM",
    "about",
    "contribute",
    "contribute_consent",
    "contribute_files",
    "contribute_receipt",
    "contribute_review",
    "item_detail",
    "manage",
    "manage_change",
    "receipt",
    "support",
]
