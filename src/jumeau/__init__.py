"""jumeau — an open digital twin for French communes."""

__version__ = "0.1.0"
