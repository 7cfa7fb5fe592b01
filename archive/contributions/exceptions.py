"""The contribution journey's own errors."""

from __future__ import annotations


class ContributionError(ValueError):
    """A submission or change that cannot be made; the message (translated) says what to do."""


class InvalidToken(LookupError):
    """No contribution answers to this management token (wrong, guessed or mistyped)."""
