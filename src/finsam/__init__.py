"""Finsam: reproducible yearly follow-up reports for Swedish samordningsförbund."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("finsam")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
