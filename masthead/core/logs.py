"""The console log handler: records go to the standard error stream of the moment.

``logging.StreamHandler`` keeps the stream it was built with. When logging is configured
while something has replaced ``sys.stderr`` (a test runner capturing output, a tool that
redirects it for a while), that stream is closed later, and every record after it fails
with "I/O operation on closed file" printed as a logging error, from whichever thread
logged: the OCR engines' release thread, minutes after the redirection ended. This
handler looks ``sys.stderr`` up at each record instead.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO


class ConsoleHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A ``StreamHandler`` that writes to the current ``sys.stderr``."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """The stream is always the current ``sys.stderr``; a stream given is ignored."""
