"""listcheck: check product listings against their specs, the law and platform rules."""

__version__ = "0.1.0"
