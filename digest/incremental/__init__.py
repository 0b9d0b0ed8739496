"""Incremental builds: everything the build remembers between runs, behind one `Tracker`."""

from .parsecache import SourceStamp
from .tracker import Tracker

__all__ = ["SourceStamp", "Tracker"]
