"""digest: a static site generator for a news digest on corporate restructuring."""

__version__ = "0.1.0"
