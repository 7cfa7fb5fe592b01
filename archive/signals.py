"""All of the archive's signal handlers, registered from ArchiveConfig.ready()."""
