// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The vmlinux inside a bzImage: locating and decompressing the payload as a stream, and
//! loading it as an ELF image (for PVH boot).

use std::io::{Read, Seek, SeekFrom, Take};

use kernel_decompress::{Compression, Decoder, Limits, detect};
use kernel_elf::{Elf, ElfLoad};
use loader_core::read_exact_at;
use vm_memory::{GuestAddress, GuestMemoryBackend};

use crate::error::{Error, Result};
use crate::load::{Version, read_info};
use crate::parse::{BzImageInfo, Payload};

/// What a bzImage says about its compressed payload, read without decompressing anything.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PayloadInfo {
    /// The validated setup header.
    pub info: BzImageInfo,
    /// Where the payload is in the file.
    pub payload: Payload,
    /// Its compression, from its magic.
    pub compression: Compression,
    /// The uncompressed size the kernel's build appends to the payload (its last 4 bytes,
    /// little-endian; gzip's `ISIZE`).
    pub vmlinux_len: u64,
}

/// Reads a bzImage's header and its payload's first and last bytes.
///
/// # Errors
///
/// The header errors of [`parse`](crate::parse), [`Error::NoPayload`] before protocol 2.08 (or with a zero
/// `payload_length`), [`Error::PayloadTooShort`], [`Error::UnknownPayloadCompression`].
pub fn payload_info<F: Read + Seek>(image: &mut F) -> Result<PayloadInfo> {
    let file_len = loader_core::source_len(image)?;
    let info = read_info(image, file_len, Version::Read)?;
    let payload = info.payload.ok_or(Error::NoPayload {
        protocol: info.protocol,
    })?;
    if payload.len < 8 {
        return Err(Error::PayloadTooShort { len: payload.len });
    }
    // Enough bytes for every format's magic; a shorter payload is read whole.
    let mut magic = [0u8; Compression::MAGIC_LEN];
    let magic_len = usize::try_from(payload.len).map_or(magic.len(), |l| l.min(magic.len()));
    let magic = magic.get_mut(..magic_len).unwrap_or_default();
    read_exact_at(image, payload.file_offset, magic, "bzImage payload magic")?;
    let Some(compression) = detect(magic) else {
        let mut first = [0u8; 4];
        first.copy_from_slice(magic.get(..4).unwrap_or(&[0; 4]));
        return Err(Error::UnknownPayloadCompression {
            offset: payload.file_offset,
            magic: first,
        });
    };
    let mut trailer = [0u8; 4];
    // payload.len >= 8, and the payload lies inside the file (checked by `parse`).
    let trailer_at = payload
        .file_offset
        .saturating_add(payload.len)
        .saturating_sub(4);
    read_exact_at(
        image,
        trailer_at,
        &mut trailer,
        "bzImage payload size trailer",
    )?;
    Ok(PayloadInfo {
        info,
        payload,
        compression,
        vmlinux_len: u64::from(u32::from_le_bytes(trailer)),
    })
}

/// The vmlinux inside a bzImage, as a stream: the payload located from the setup header (protocol
/// 2.08+), its compression detected from its magic, decompressed as it is read.
///
/// `limits.expected_size` is set from the payload's size trailer, so a stream of another length
/// fails ([`kernel_decompress::Error::SizeMismatch`]) and a trailer above
/// `limits.max_decompressed` fails here ([`Error::Decompress`] with `Bomb`), before anything is
/// decompressed. Nothing is buffered beyond the decoder's own bounded state.
///
/// ```no_run
/// use std::io::Read;
/// let image = std::fs::File::open("/boot/vmlinuz")?;
/// let (info, mut vmlinux) = kernel_bzimage::extract_vmlinux(image, Default::default())?;
/// let mut elf_magic = [0u8; 4];
/// vmlinux.read_exact(&mut elf_magic)?;
/// assert_eq!(&elf_magic, b"\x7fELF");
/// println!("{} payload, {} bytes of vmlinux", info.compression, info.vmlinux_len);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract_vmlinux<F: Read + Seek>(
    mut image: F,
    limits: Limits,
) -> Result<(PayloadInfo, Decoder<Take<F>>)> {
    let info = payload_info(&mut image)?;
    image
        .seek(SeekFrom::Start(info.payload.file_offset))
        .map_err(|source| loader_core::Error::Io {
            what: "bzImage payload",
            offset: info.payload.file_offset,
            source,
        })?;
    let limits = limits.with_expected_size(Some(info.vmlinux_len));
    let decoder =
        kernel_decompress::decoder(info.compression, image.take(info.payload.len), limits)?;
    Ok((info, decoder))
}

/// What [`BzImage::load_vmlinux`](crate::BzImage::load_vmlinux) reports.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VmlinuxLoad {
    /// The ELF load: segments, entry points (`entry.pvh` from the vmlinux's PVH note).
    pub elf: ElfLoad,
    /// The bzImage's header and payload.
    pub payload: PayloadInfo,
}

impl crate::BzImage {
    /// Loads the vmlinux inside a bzImage, decompressing it straight into guest memory, for PVH
    /// boot (the entry comes from the vmlinux's `XEN_ELFNOTE_PHYS32_ENTRY` note).
    ///
    /// The ELF headers are validated from the first decompressed bytes and the whole plan is
    /// checked against guest memory (and against the size trailer) before the first write; see
    /// [`Elf::load_from_stream`] for what can still fail after writing began and how it is
    /// reported. `kernel_offset` and `highmem_start_address` mean what they mean for
    /// [`Elf`](kernel_elf::Elf).
    pub fn load_vmlinux<F: Read + Seek, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
        limits: Limits,
    ) -> Result<VmlinuxLoad> {
        let (payload, mut stream) = extract_vmlinux(kernel_image, limits)?;
        let loaded = Elf::load_from_stream(
            guest_mem,
            kernel_offset,
            &mut stream,
            highmem_start_address,
            Some(payload.vmlinux_len),
        );
        // The rest of the stream (the relocation table the build appends) is decoded too, so
        // the codec's checksum and the size trailer are verified: a corrupt payload whose
        // damage happened to decode is reported, not booted.
        let written = match &loaded {
            Ok(elf) => Some(elf.summary.span),
            Err(kernel_elf::Error::NotesAfterWrite { written, .. }) => Some(*written),
            Err(_) => None,
        };
        if let Some(written) = written {
            if let Err(source) = drain(&mut stream) {
                return Err(Error::PayloadAfterWrite { written, source });
            }
        }
        Ok(VmlinuxLoad {
            elf: loaded?,
            payload,
        })
    }
}

/// Reads the decoder to its end, returning the decompression error that stops it, if any.
fn drain<R: Read>(stream: &mut Decoder<R>) -> std::result::Result<(), kernel_decompress::Error> {
    let compression = stream.compression();
    std::io::copy(stream, &mut std::io::sink())
        .map(|_| ())
        .map_err(|e| {
            match e
                .into_inner()
                .map(|inner| inner.downcast::<kernel_decompress::Error>())
            {
                Some(Ok(ours)) => *ours,
                Some(Err(other)) => kernel_decompress::Error::Input {
                    compression,
                    source: std::io::Error::other(other),
                },
                None => kernel_decompress::Error::Input {
                    compression,
                    source: std::io::ErrorKind::Other.into(),
                },
            }
        })
}
