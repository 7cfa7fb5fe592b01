"""The exhibitions app's public surfaces, registered with archive.surfaces at start-up."""
