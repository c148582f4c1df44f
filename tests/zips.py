"""ZIP files built byte by byte for the upload tests: zip bombs of a chosen size, and archives whose
headers lie. Python's zipfile writes honest archives only, and compressing gigabytes of zeros for a
real bomb would take a minute, so the bomb's deflate stream is one compressed megabyte of zeros
repeated: after a full flush the compressor starts afresh, so each repeat is the same bytes."""

import struct
import zlib
from dataclasses import dataclass

MB = 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Entry:
    name: str
    stream: bytes  # the bytes as stored (deflated when `deflated`)
    size: int  # the size the headers declare
    crc: int
    deflated: bool = True
    flags: int = 0


def stored(name: str, content: bytes) -> Entry:
    return Entry(name, content, len(content), zlib.crc32(content), deflated=False)


def deflated(name: str, content: bytes, *, declared_size: int | None = None) -> Entry:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    stream = packer.compress(content) + packer.flush()
    return Entry(name, stream, len(content) if declared_size is None else declared_size, zlib.crc32(content))


def bomb_entry(name: str, compressed_bytes: int) -> Entry:
    """An entry of about `compressed_bytes` that inflates a thousand-fold (to gigabytes of zeros)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = bytes(MB)
    first = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    repeat = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH) == repeat
    count = max(1, (compressed_bytes - len(first)) // len(repeat))
    stream = first + repeat * count + packer.flush()
    unpacked = (count + 1) * MB
    # Its real size does not fit the 32-bit field: the header says 4 GB, as a bomb's would.
    return Entry(name, stream, min(unpacked, 0xFFFFFFFF), 0)


def build_zip(entries: list[Entry]) -> bytes:
    """The archive: local headers and data, the central directory, the end record."""
    body = bytearray()
    directory = bytearray()
    for entry in entries:
        name = entry.name.encode()
        method = 8 if entry.deflated else 0
        offset = len(body)
        body += struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            entry.flags,
            method,
            0,
            0x21,
            entry.crc,
            len(entry.stream),
            entry.size,
            len(name),
            0,
        )
        body += name + entry.stream
        directory += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            entry.flags,
            method,
            0,
            0x21,
            entry.crc,
            len(entry.stream),
            entry.size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return bytes(body + directory + end)


def docx_bomb(size: int = 10 * MB - 64 * 1024) -> bytes:
    """A .docx-shaped zip bomb of `size` bytes (just under the 10 MB upload limit by default)."""
    return build_zip([deflated("[Content_Types].xml", b"<Types/>"), bomb_entry("word/document.xml", size - 400)])


def odt_bomb(size: int = 10 * MB - 64 * 1024) -> bytes:
    """An .odt-shaped zip bomb: the stored mimetype first, as ODT has it, then the bomb as content.xml."""
    return build_zip([stored("mimetype", ODT_MIMETYPE), bomb_entry("content.xml", size - 400)])
