// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Compressed images: `Image.gz`, `Image.zst`, `Image.lz4`, `Image.lzo` and EFI zboot,
//! decompressed straight into guest memory.

use std::io::{self, Cursor, Read, Seek, SeekFrom};

use kernel_decompress::{Compression, Decoder, Limits, detect};
use loader_core::{GuestRange, KernelLoaderResult, StreamSource, read_exact_at};
use vm_memory::{GuestAddress, GuestMemoryBackend};

use crate::error::{Error, Result};
use crate::limits::MAX_HEADER_BYTES;
use crate::load::plan_image;
use crate::parse::{ImageInfo, parse_image_header};

/// Size of the EFI zboot header fields read here (magic through the compression-type string).
const ZBOOT_HEADER: usize = 0x38;
/// Offset of the NUL-terminated compression type in a zboot header.
const ZBOOT_COMP_TYPE: usize = 0x18;

/// The EFI zboot header (`drivers/firmware/efi/libstub/zboot-header.S`): an `MZ` PE image whose
/// bytes 4..8 are `"zimg"`, wrapping a compressed `Image`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZbootHeader {
    /// File offset of the compressed payload (u32 at 0x08).
    pub payload_offset: u32,
    /// Its size (u32 at 0x0c), without the 4-byte size trailer non-gzip payloads carry.
    pub payload_size: u32,
    /// The compression type string at 0x18 (`gzip`, `lz4`, `lzma`, `lzo`, `xzkern`,
    /// `zstd22`), NUL-padded.
    pub comp_type: [u8; 32],
    /// That compression.
    pub compression: Compression,
}

impl ZbootHeader {
    /// The compression type as text.
    pub fn comp_type_str(&self) -> &str {
        let end = self
            .comp_type
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.comp_type.len());
        std::str::from_utf8(self.comp_type.get(..end).unwrap_or_default()).unwrap_or("?")
    }
}

/// Parses an EFI zboot header from the first bytes of an image. A pure function.
///
/// # Errors
///
/// [`Error::ReadImageHeader`] when `bytes` is shorter than the header or is not `MZ`…`zimg`,
/// [`Error::ZbootUnknownCompression`] for a compression type this crate does not know.
pub fn parse_zboot_header(bytes: &[u8]) -> Result<ZbootHeader> {
    let head = bytes.get(..ZBOOT_HEADER).ok_or(Error::ReadImageHeader)?;
    if head.get(..2) != Some(b"MZ") || head.get(4..8) != Some(b"zimg") {
        return Err(Error::ReadImageHeader);
    }
    let le32 = |at: usize| -> Result<u32> {
        let b: [u8; 4] = head
            .get(at..at.saturating_add(4))
            .and_then(|s| s.try_into().ok())
            .ok_or(Error::ReadImageHeader)?;
        Ok(u32::from_le_bytes(b))
    };
    let mut comp_type = [0u8; 32];
    let name = head.get(ZBOOT_COMP_TYPE..).unwrap_or_default();
    let name = name.get(
        ..name
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(name.len())
            .min(32),
    );
    let name = name.unwrap_or_default();
    comp_type
        .get_mut(..name.len())
        .unwrap_or_default()
        .copy_from_slice(name);
    let compression =
        Compression::from_zboot_name(name).ok_or(Error::ZbootUnknownCompression { comp_type })?;
    Ok(ZbootHeader {
        payload_offset: le32(8)?,
        payload_size: le32(12)?,
        comp_type,
        compression,
    })
}

/// Where a compressed image's stream is and what it decompresses to, found without
/// decompressing anything but the first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompressedImage {
    /// The compression.
    pub compression: Compression,
    /// The EFI zboot header, when the image is one.
    pub zboot: Option<ZbootHeader>,
    /// File offset of the compressed stream.
    pub payload_offset: u64,
    /// Bytes of compressed stream.
    pub payload_len: u64,
    /// The exact decompressed size, when the container states it: gzip's `ISIZE`, or the
    /// kernel's size trailer after a zboot payload.
    pub decompressed_len: Option<u64>,
}

/// Locates the compressed stream of `image` (a raw compressed `Image` or an EFI zboot image).
///
/// # Errors
///
/// [`Error::NotCompressed`] for anything else, [`Error::ZbootPayloadOutsideFile`],
/// [`Error::ZbootUnknownCompression`], I/O errors as [`Error::ReadImageHeader`].
pub fn locate_compressed<F: Read + Seek>(image: &mut F) -> Result<CompressedImage> {
    let file_len = image
        .seek(SeekFrom::End(0))
        .map_err(|_| Error::SeekImageEnd)?;
    let mut head = vec![
        0u8;
        usize::try_from(file_len)
            .unwrap_or(MAX_HEADER_BYTES)
            .min(MAX_HEADER_BYTES)
    ];
    read_exact_at(image, 0, &mut head, "Image header").map_err(|_| Error::ReadImageHeader)?;
    let le32_at = |image: &mut F, at: u64| -> Result<u64> {
        let mut b = [0u8; 4];
        read_exact_at(image, at, &mut b, "size trailer").map_err(|_| Error::ReadImageHeader)?;
        Ok(u64::from(u32::from_le_bytes(b)))
    };
    if head.get(..2) == Some(b"MZ") && head.get(4..8) == Some(b"zimg") {
        let z = parse_zboot_header(&head)?;
        let offset = u64::from(z.payload_offset);
        let size = u64::from(z.payload_size);
        // Non-gzip payloads are followed by the 4-byte size trailer the header leaves out.
        let trailer = if z.compression == Compression::Gzip {
            0
        } else {
            4
        };
        let end = offset.saturating_add(size).saturating_add(trailer);
        if size < 4 || end > file_len {
            return Err(Error::ZbootPayloadOutsideFile {
                offset: z.payload_offset,
                size: z.payload_size,
                file_len,
            });
        }
        let decompressed_len = Some(le32_at(image, end.saturating_sub(4))?);
        return Ok(CompressedImage {
            compression: z.compression,
            zboot: Some(z),
            payload_offset: offset,
            payload_len: size,
            decompressed_len,
        });
    }
    let compression = detect(&head).ok_or(Error::NotCompressed)?;
    let decompressed_len = if compression == Compression::Gzip && file_len >= 18 {
        Some(le32_at(image, file_len.saturating_sub(4))?)
    } else {
        None
    };
    Ok(CompressedImage {
        compression,
        zboot: None,
        payload_offset: 0,
        payload_len: file_len,
        decompressed_len,
    })
}

/// What [`PE::load_compressed`](crate::PE::load_compressed) reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompressedLoad {
    /// As [`PE`](crate::PE)'s `load` reports it.
    pub result: KernelLoaderResult,
    /// The decompressed image's header.
    pub info: ImageInfo,
    /// The container.
    pub image: CompressedImage,
    /// Decompressed bytes written (the rest of `image_size` was zero-filled).
    pub decompressed_len: u64,
}

/// Yields the inner stream, then zeros up to `pad_to` bytes in all; remembers whether the inner
/// stream ended.
struct ZeroPad<R> {
    inner: R,
    pos: u64,
    pad_to: u64,
    inner_len: Option<u64>,
}

impl<R: Read> Read for ZeroPad<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.inner_len.is_none() {
            let n = self.inner.read(buf)?;
            if n > 0 {
                self.pos = self
                    .pos
                    .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
                return Ok(n);
            }
            self.inner_len = Some(self.pos);
        }
        let left = usize::try_from(self.pad_to.saturating_sub(self.pos)).unwrap_or(usize::MAX);
        let n = left.min(buf.len());
        buf.get_mut(..n).unwrap_or_default().fill(0);
        self.pos = self
            .pos
            .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        Ok(n)
    }
}

impl crate::PE {
    /// Loads a compressed arm64/riscv64 `Image` — `Image.gz`, `Image.zst`, `Image.lz4` (frame
    /// or legacy), xz/lzma/bzip2/lzop, or an EFI zboot image — decompressing it straight into
    /// guest memory, exactly as [`PE`](crate::PE)'s `load` places the uncompressed image.
    ///
    /// The `Image` header is parsed from the first decompressed bytes and the whole range
    /// `load .. load + max(image_size, decompressed size)` is validated against guest memory
    /// before the first write: a bad header, a misaligned base, a range outside memory leave it
    /// untouched. The decompressed bytes are then streamed in (64 KiB at a time) and the rest of
    /// `image_size` (the BSS) zero-filled. When the container states the decompressed size
    /// (gzip's `ISIZE`, a zboot size trailer), it is planned and checked exactly; otherwise the
    /// stream may be at most `image_size` bytes.
    ///
    /// # Errors
    ///
    /// Before writing: the header errors of [`parse_image_header`], [`Error::Decompress`] (codec
    /// unsupported, a stated size above `limits.max_decompressed`, a bad stream header),
    /// [`Error::UnknownDecompressedSize`] (a pre-3.17 arm64 header without `image_size` in a
    /// container that does not state the size), the plan errors. After writing began:
    /// [`Error::Plan`] with loader-core's `SourceRead` (truncated or corrupt stream, bomb —
    /// `written` names the range), [`Error::PayloadAfterWrite`] (the stream's checksum or size
    /// fails once the image is in, or it runs past `image_size`).
    pub fn load_compressed<F: Read + Seek, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
        limits: Limits,
    ) -> Result<CompressedLoad> {
        let located = locate_compressed(kernel_image)?;
        kernel_image
            .seek(SeekFrom::Start(located.payload_offset))
            .map_err(|_| Error::SeekImageHeader)?;
        let limits = limits.with_expected_size(located.decompressed_len);
        let mut decoder: Decoder<_> = kernel_decompress::decoder(
            located.compression,
            kernel_image.take(located.payload_len),
            limits,
        )
        .map_err(Error::Decompress)?;

        // The header from the first decompressed bytes.
        let mut head = vec![0u8; MAX_HEADER_BYTES];
        let got = loader_core::read_full(&mut decoder, &mut head)
            .map_err(|e| Error::Decompress(decompress_error(e, &decoder)))?;
        head.truncate(got);
        let info = parse_image_header(&head)?;

        let file_len = match (located.decompressed_len, info.image_size) {
            (Some(len), _) => len,
            (None, 0) => return Err(Error::UnknownDecompressedSize),
            (None, image_size) => image_size,
        };
        let planned = plan_image(&info, file_len, kernel_offset, highmem_start_address)?;

        let stream = Cursor::new(head).chain(&mut decoder);
        let mut source = StreamSource::new(ZeroPad {
            inner: stream,
            pos: 0,
            // With a known size, no padding: a short stream is the decoder's SizeMismatch.
            pad_to: if located.decompressed_len.is_some() {
                0
            } else {
                file_len
            },
            inner_len: None,
        });
        let summary = planned
            .plan
            .execute(guest_mem, &mut source)
            .map_err(Error::Plan)?;
        let written = summary.span;
        let pad = source.into_inner();
        let decompressed_len = pad.inner_len.unwrap_or(pad.pos);
        drop(pad);
        // Decode to the end: verifies the checksum and size, and that nothing follows image_size.
        let mut extra = [0u8; 1];
        match loader_core::read_full(&mut decoder, &mut extra) {
            Ok(0) => {}
            Ok(_) => {
                return Err(Error::PayloadAfterWrite {
                    written,
                    source: kernel_decompress::Error::SizeMismatch {
                        compression: located.compression,
                        expected: file_len,
                        produced: decoder.produced(),
                    },
                });
            }
            Err(e) => {
                return Err(Error::PayloadAfterWrite {
                    written,
                    source: decompress_error(e, &decoder),
                });
            }
        }
        Ok(CompressedLoad {
            result: planned.result,
            info,
            image: located,
            decompressed_len,
        })
    }
}

/// The decompressor's error out of an `io::Error` it returned.
fn decompress_error<R: Read>(e: io::Error, decoder: &Decoder<R>) -> kernel_decompress::Error {
    match e
        .into_inner()
        .map(|inner| inner.downcast::<kernel_decompress::Error>())
    {
        Some(Ok(ours)) => *ours,
        Some(Err(other)) => kernel_decompress::Error::Input {
            compression: decoder.compression(),
            source: io::Error::other(other),
        },
        None => kernel_decompress::Error::Input {
            compression: decoder.compression(),
            source: io::ErrorKind::Other.into(),
        },
    }
}

impl Error {
    /// For errors reported after guest memory was written: the guest range written.
    pub fn written(&self) -> Option<GuestRange> {
        match self {
            Error::PayloadAfterWrite { written, .. } => Some(*written),
            Error::Plan(loader_core::Error::SourceRead { written, .. })
            | Error::Plan(loader_core::Error::GuestWrite { written, .. }) => *written,
            _ => None,
        }
    }
}
