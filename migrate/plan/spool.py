"""The spool: bytes of the plan's larger files kept in one anonymous temporary file instead of in memory."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import BinaryIO, Iterator

CHUNK = 1 << 20
"""The most bytes read or buffered at a time (a megabyte)."""


class Spool:
    """Bytes kept in one anonymous temporary file rather than on the heap, so that a large site's output
    is never held whole in memory. The file has no name on disk (``tempfile.TemporaryFile``) and goes away
    with the spool; pieces are appended, and read back by offset and length."""

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        self._end = 0
        self._writing = False

    def put(self, data: bytes) -> Span:
        """Append ``data``; where it went."""
        if self._writing:
            raise RuntimeError("a stream is open in the spool: close it before adding anything else")
        span = Span(self, self._end, len(data))
        self._write_at(self._end, data)
        self._end += len(data)
        return span

    def open_stream(self) -> SpoolWriter:
        """A writer appending one piece of unknown length."""
        if self._writing:
            raise RuntimeError("a stream is already open in the spool")
        self._writing = True
        return SpoolWriter(self, self._end)

    def read(self, offset: int, length: int) -> bytes:
        if not length:
            return b""
        assert self._file is not None
        self._file.seek(offset)
        data = self._file.read(length)
        if len(data) != length:
            raise OSError(f"spool truncated: {len(data)} of {length} bytes at {offset}")
        return data

    def _write_at(self, offset: int, data: bytes | bytearray) -> None:
        if not data:
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - open for the spool's whole life
        self._file.seek(offset)
        self._file.write(data)
        # Nothing stays buffered: forked worker processes share this file and must find nothing to flush.
        self._file.flush()

    def _closed_stream(self, end: int | None) -> None:
        self._writing = False
        if end is not None:
            self._end = end


@dataclass(frozen=True, slots=True)
class Span:
    """``length`` bytes at ``offset`` in a spool."""

    spool: Spool
    offset: int
    length: int

    def read(self) -> bytes:
        return self.spool.read(self.offset, self.length)

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        pos, end = self.offset, self.offset + self.length
        while pos < end:
            n = min(size, end - pos)
            yield self.spool.read(pos, n)
            pos += n


class SpoolWriter:
    """A binary file appended to a spool piece by piece. ``seek``/``tell`` move within what it wrote (as
    ``zipfile`` does to fill in headers); ``close()`` ends it (then ``span`` says where it went), ``abort()``
    drops it."""

    def __init__(self, spool: Spool, start: int) -> None:
        self._spool = spool
        self._start = start
        self._size = 0
        self._pos = 0
        self._pending = bytearray()  # the last bytes written, not yet in the spool's file
        self.closed = False

    def write(self, data: bytes | bytearray) -> int:
        if self.closed:
            raise ValueError("write to a closed stream")
        if self._pos == self._size:
            self._pending += data
            self._size += len(data)
            if len(self._pending) >= CHUNK:
                self.flush()
        else:
            self.flush()
            self._spool._write_at(self._start + self._pos, data)
            self._size = max(self._size, self._pos + len(data))
        self._pos += len(data)
        return len(data)

    def write_text(self, text: str) -> None:
        self.write(text.encode("utf-8"))

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        if not 0 <= base + offset <= self._size:
            raise ValueError("seek outside what the stream wrote")
        self._pos = base + offset
        return self._pos

    def flush(self) -> None:
        if self._pending:
            self._spool._write_at(self._start + self._size - len(self._pending), self._pending)
            self._pending = bytearray()

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self.flush()
            self.closed = True
            self._spool._closed_stream(self._start + self._size)

    @property
    def span(self) -> Span:
        return Span(self._spool, self._start, self._size)

    def abort(self) -> None:
        """Drop what was written (the spool reuses the room)."""
        if not self.closed:
            self.closed = True
            self._pending = bytearray()
            self._spool._closed_stream(None)
