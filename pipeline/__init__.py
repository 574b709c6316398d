"""pipeline: clean up machine-translated news and hand it to human translators for review."""

__version__ = "0.1.0"
