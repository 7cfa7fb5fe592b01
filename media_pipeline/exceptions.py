"""The media pipeline's own errors. Messages are translated and say what to do."""


class MediaPipelineError(Exception):
    """Base class for every error the pipeline raises on purpose."""


class IntakeError(MediaPipelineError):
    """An upload was refused. `str(error)` names the file and the reason, ready to show to its sender."""

    def __init__(self, message: str, *, name: str = "", reason_code: str = "refused"):
        super().__init__(message)
        self.name = name
        self.reason_code = reason_code


class ProcessingError(MediaPipelineError):
    """A permanent processing failure (damaged file, unsupported stream): retrying will not help."""


class TransientStorageError(MediaPipelineError):
    """Storage could not be reached; the step is retried with backoff."""


class AssetBusy(MediaPipelineError):
    """Another worker is processing this asset right now."""


class RedactionNotApplicable(MediaPipelineError):
    """A redaction that does not fit the media it was asked for (wrong kind, outside the picture or the
    recording, nothing to redact, media not processed yet); the message says why. Not to be confused
    with archive.redaction.RedactionError, the curator-facing refusal that the archive raises from it."""
