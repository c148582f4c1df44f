"""Reading an uploaded ZIP container (DOCX, ODT) safely: streamed, in small chunks, with caps.

A ZIP can declare small sizes and hold gigabytes (a "zip bomb"), so nothing here trusts the sizes
in its headers: every entry is decompressed in chunks of at most `chunk` bytes, the bytes that
really come out are counted, and the scan stops the moment a cap is passed: entry count, one
entry's size, the total, or the ratio of bytes out to compressed bytes in. Memory stays at a
chunk or two whatever the file holds. Each entry's checksum is checked too, so a damaged document
is refused before anyone downloads it.
"""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

MB = 1024 * 1024
LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
LOCAL_SIGNATURE = b"PK\x03\x04"
END_SIGNATURE = b"PK\x05\x06"
END_RECORD_SIZE = 22
MAX_COMMENT = 0xFFFF
# Ratios are only judged once this much has come out: a small XML part may shrink 200 to 1.
RATIO_FLOOR = 1 * MB
DAMAGED = "The file is damaged: a part's size or checksum does not match. Save it again from your editor."


@dataclass(frozen=True)
class ZipLimits:
    """The caps a document must stay within. A real DOCX or ODT is far below every one of them."""

    max_entries: int = 1000
    max_entry_bytes: int = 100 * MB
    max_total_bytes: int = 200 * MB
    max_ratio: int = 100
    chunk: int = 64 * 1024


class UnsafeZip(ValueError):
    """The archive passed a cap (or is damaged); `message` says which in words, `bytes_out` how far it got."""

    def __init__(self, message: str, bytes_out: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.bytes_out = bytes_out


@dataclass
class ZipScan:
    """What the scan found: every entry's name, the content of the entries asked for, and the bytes read."""

    names: set[str] = field(default_factory=set)
    kept: dict[str, bytes] = field(default_factory=dict)
    bytes_out: int = 0


def declared_entry_count(data: bytes) -> int | None:
    """The entry count in the end-of-archive record, read before the directory itself is parsed (a
    directory of a million entries would itself take hundreds of megabytes). None when there is no record."""
    start = max(0, len(data) - END_RECORD_SIZE - MAX_COMMENT)
    at = data.rfind(END_SIGNATURE, start)
    if at < 0 or at + END_RECORD_SIZE > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, at + 10)
    return count


def scan_zip(data: bytes, *, limits: ZipLimits | None = None, keep: frozenset[str] = frozenset()) -> ZipScan:
    """Decompress every entry of `data` in chunks, within `limits`; the content of the entries named in
    `keep` (small ones, like ODT's "mimetype", at most one chunk) is returned.

    Raises zipfile.BadZipFile when `data` is not a ZIP, UnsafeZip when it passes a cap or is damaged.
    """
    limits = limits or ZipLimits()
    count = declared_entry_count(data)
    if count is None:
        raise zipfile.BadZipFile("no end-of-archive record")
    if count == 0xFFFF or count > limits.max_entries:  # 0xFFFF: a ZIP64 archive, never a document
        raise UnsafeZip(f"The file holds more than {limits.max_entries} parts, more than a document has.")
    scan = ZipScan()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise UnsafeZip(f"The file holds more than {limits.max_entries} parts, more than a document has.")
        consumed = 0
        for info in entries:
            scan.names.add(info.filename)
            content, used = _read_entry(data, info, scan, consumed, limits, keep=info.filename in keep)
            consumed += used
            if content is not None:
                scan.kept[info.filename] = content
    return scan


def _entry_stream(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The entry's compressed bytes, found from its local header (whose own sizes are not used)."""
    offset = info.header_offset
    if offset < 0 or offset + LOCAL_HEADER.size > len(data):
        raise UnsafeZip("The file is damaged: a part points outside it.")
    header = LOCAL_HEADER.unpack_from(data, offset)
    if header[0] != LOCAL_SIGNATURE:
        raise UnsafeZip("The file is damaged: a part's header is missing.")
    start = offset + LOCAL_HEADER.size + header[9] + header[10]
    end = start + info.compress_size
    if end > len(data):
        raise UnsafeZip("The file is damaged: a part runs past its end.")
    return memoryview(data)[start:end]


def _read_entry(
    data: bytes, info: zipfile.ZipInfo, scan: ZipScan, consumed_before: int, limits: ZipLimits, *, keep: bool
) -> tuple[bytes | None, int]:
    """Decompress one entry chunk by chunk; returns its content if `keep` (else None) and the compressed
    bytes it used. Every cap is checked after every chunk."""
    if info.flag_bits & 0x1:
        raise UnsafeZip("The file is password-protected. Save it without a password and try again.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnsafeZip("The file uses a kind of compression documents do not use. Save it again from your editor.")
    stream = _entry_stream(data, info)
    inflate = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    crc = 0
    kept = bytearray()

    def take(piece: bytes, used: int) -> None:
        nonlocal produced, crc
        produced += len(piece)
        scan.bytes_out += len(piece)
        crc = zlib.crc32(piece, crc)
        if keep and len(kept) < limits.chunk:
            kept.extend(piece[: limits.chunk - len(kept)])
        _check_caps(produced, used, scan.bytes_out, consumed_before + used, limits)
        if produced > info.file_size:  # more than the header declared: stop now, not at the checksum
            raise UnsafeZip(DAMAGED, scan.bytes_out)

    used = 0
    for at in range(0, len(stream), limits.chunk):
        compressed = bytes(stream[at : at + limits.chunk])
        used += len(compressed)
        if inflate is None:
            take(compressed, used)
            continue
        pending = compressed
        while pending:
            piece = inflate.decompress(pending, limits.chunk)
            pending = inflate.unconsumed_tail
            take(piece, used)
            if inflate.eof:
                break
    if inflate is not None:
        take(inflate.flush(limits.chunk), used)
    if produced != info.file_size or crc != info.CRC:
        raise UnsafeZip(DAMAGED, scan.bytes_out)
    return (bytes(kept) if keep else None), used


def _check_caps(produced: int, used: int, total: int, total_used: int, limits: ZipLimits) -> None:
    if produced > limits.max_entry_bytes:
        raise UnsafeZip(
            f"One part of the file unpacks to more than {limits.max_entry_bytes // MB} MB, more than a document "
            "holds. The file may be a compressed bomb.",
            total,
        )
    if total > limits.max_total_bytes:
        raise UnsafeZip(
            f"The file unpacks to more than {limits.max_total_bytes // MB} MB, more than a document holds. "
            "The file may be a compressed bomb.",
            total,
        )
    if (produced > RATIO_FLOOR and produced > limits.max_ratio * max(used, 1)) or (
        total > RATIO_FLOOR and total > limits.max_ratio * max(total_used, 1)
    ):
        raise UnsafeZip(
            f"The file unpacks to more than {limits.max_ratio} times its size, which documents never do. "
            "The file may be a compressed bomb.",
            total,
        )
