// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Parsing the first bytes of an image: a pure function of bytes, reusable on decompressed data.

use std::fmt;

use zerocopy::FromBytes;

use crate::error::{Error, Result};
use crate::header::{
    ARM64_IMAGE_FLAG_PAGE_SIZE_MASK, ARM64_IMAGE_FLAG_PAGE_SIZE_SHIFT, ARM64_IMAGE_FLAG_PHYS_BASE,
    ARM64_IMAGE_MAGIC, ARM64_LEGACY_TEXT_OFFSET, DOS_MAGIC, IMAGE_FILE_MACHINE_ARM64,
    IMAGE_FILE_MACHINE_RISCV64, IMAGE_FLAG_BE, IMAGE_HEADER_SIZE, PE32PLUS_MAGIC,
    RISCV_HEADER_VERSION_0_2, RISCV_IMAGE_MAGIC2, arm64_image_header, riscv64_image_header,
};
use crate::limits::MAX_HEADER_BYTES;

/// The architecture an `Image` is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    /// arm64 (`"ARM\x64"` at 0x38).
    Arm64,
    /// riscv64 (`"RSC\x05"` at 0x38).
    Riscv64,
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Arch::Arm64 => "arm64",
            Arch::Riscv64 => "riscv64",
        })
    }
}

/// The kernel page size an arm64 header announces (flags bits 1-2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PageSize {
    /// 0: not specified (and always for riscv64, whose header has no such field).
    Unspecified,
    /// 1: 4 KiB pages.
    Size4K,
    /// 2: 16 KiB pages.
    Size16K,
    /// 3: 64 KiB pages.
    Size64K,
}

impl PageSize {
    /// The page size in bytes, when specified.
    pub fn bytes(self) -> Option<u64> {
        match self {
            PageSize::Unspecified => None,
            PageSize::Size4K => Some(0x1000),
            PageSize::Size16K => Some(0x4000),
            PageSize::Size64K => Some(0x1_0000),
        }
    }
}

/// A compressed format recognised by its first bytes; reported so the caller can decompress
/// (decompressors come with the compressed-kernels work).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Compression {
    /// gzip (`1f 8b`), e.g. `Image.gz`.
    Gzip,
    /// zstd frame (`28 b5 2f fd`).
    Zstd,
    /// LZ4 frame (`04 22 4d 18`) or legacy LZ4 (`02 21 4c 18`).
    Lz4,
    /// xz (`fd 37 7a 58 5a 00`).
    Xz,
    /// bzip2 (`BZh`).
    Bzip2,
    /// lzop (`89 4c 5a 4f 00 0d 0a 1a 0a`), e.g. `Image.lzo`.
    Lzo,
    /// EFI zboot: a PE image (`MZ`) whose header says `zimg` at offset 4, wrapping a compressed
    /// Image.
    EfiZboot,
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compression::Gzip => "gzip-compressed",
            Compression::Zstd => "zstd-compressed",
            Compression::Lz4 => "LZ4-compressed",
            Compression::Xz => "xz-compressed",
            Compression::Bzip2 => "bzip2-compressed",
            Compression::Lzo => "lzop-compressed",
            Compression::EfiZboot => "an EFI zboot image",
        })
    }
}

/// What the first bytes of an image say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImageFormat {
    /// An uncompressed `Image` for `arch`.
    Image(Arch),
    /// A compressed image.
    Compressed(Compression),
    /// None of the above.
    Unknown,
}

/// Recognises an image by its first bytes (the `Image` magic at 0x38, or a compression magic at
/// 0). Never fails; short inputs are `Unknown` unless a compression magic fits in them.
pub fn probe(bytes: &[u8]) -> ImageFormat {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"MZ") && bytes.get(4..8) == Some(b"zimg") {
        return ImageFormat::Compressed(Compression::EfiZboot);
    }
    match le32(bytes, 0x38) {
        Some(ARM64_IMAGE_MAGIC) => return ImageFormat::Image(Arch::Arm64),
        Some(RISCV_IMAGE_MAGIC2) => return ImageFormat::Image(Arch::Riscv64),
        _ => {}
    }
    let compression = if starts(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if starts(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else if starts(&[0x04, 0x22, 0x4d, 0x18]) || starts(&[0x02, 0x21, 0x4c, 0x18]) {
        Compression::Lz4
    } else if starts(&[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) {
        Compression::Xz
    } else if starts(b"BZh") {
        Compression::Bzip2
    } else if starts(&[0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a]) {
        Compression::Lzo
    } else {
        return ImageFormat::Unknown;
    };
    ImageFormat::Compressed(compression)
}

fn le32(bytes: &[u8], pos: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(pos..pos.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// Facts of an EFI stub (the PE/COFF image an `"MZ"` kernel also is).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EfiStub {
    /// Offset of the PE header (`"PE\0\0"`), from the Image header's `res5`/`res3`.
    pub pe_offset: u32,
    /// COFF machine (0xaa64 arm64, 0x5064 riscv64).
    pub machine: u16,
    /// `AddressOfEntryPoint`: the EFI entry's RVA (relative to the image's first byte).
    pub entry_point: u32,
    /// `SizeOfImage`.
    pub size_of_image: u32,
    /// `Subsystem` (10 = EFI application).
    pub subsystem: u16,
}

/// Everything the first bytes of an uncompressed `Image` say, validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    /// The architecture (from the magic at 0x38).
    pub arch: Arch,
    /// Effective load offset from the 2 MiB-aligned base (0x80000 for a pre-3.17 arm64 header
    /// with `image_size` 0, whatever its `text_offset` field says).
    pub text_offset: u64,
    /// `image_size` as the header gives it: bytes from the image start the kernel needs, BSS
    /// included; 0 on pre-3.17 arm64 kernels (unknown).
    pub image_size: u64,
    /// The raw `flags`.
    pub flags: u64,
    /// arm64 page size (flags bits 1-2); `Unspecified` for riscv64.
    pub page_size: PageSize,
    /// arm64 flags bit 3: the 2 MiB-aligned base may be anywhere in physical memory (clear: keep
    /// it as close as possible to the base of DRAM). Always `false` for riscv64.
    pub phys_base_anywhere: bool,
    /// riscv64 header version (`major << 16 | minor`); 0 for arm64.
    pub version: u32,
    /// The EFI stub, when the image starts with `"MZ"`.
    pub efi_stub: Option<EfiStub>,
}

impl ImageInfo {
    /// Whether this is a pre-3.17 arm64 header (`image_size` 0).
    pub fn is_legacy(&self) -> bool {
        self.image_size == 0
    }
}

/// Parses and validates the first bytes of an uncompressed arm64 or riscv64 `Image`.
///
/// `bytes` should hold the first [`MAX_HEADER_BYTES`] of the image (or all of it when shorter):
/// the 64-byte header needs 64 of them, an EFI stub's PE headers the ones they occupy. Bytes past
/// `MAX_HEADER_BYTES` are ignored. This is a pure function of `bytes`, so it applies equally to
/// a file's first page and to the first bytes a decompressor produced.
pub fn parse_image_header(bytes: &[u8]) -> Result<ImageInfo> {
    let bytes = bytes
        .get(..bytes.len().min(MAX_HEADER_BYTES))
        .unwrap_or(bytes);
    match probe(bytes) {
        ImageFormat::Compressed(format) => return Err(Error::CompressedImage { format }),
        ImageFormat::Image(_) | ImageFormat::Unknown => {}
    }
    let Some(head) = bytes.get(..IMAGE_HEADER_SIZE) else {
        return Err(Error::ReadImageHeader);
    };
    let mut info = match probe(head) {
        ImageFormat::Image(Arch::Arm64) => parse_arm64(head)?,
        ImageFormat::Image(Arch::Riscv64) => parse_riscv64(head)?,
        _ => return Err(Error::InvalidImageMagicNumber),
    };
    if le16(bytes, 0) == Some(DOS_MAGIC) {
        // res5 (arm64) and res3 (riscv64) share offset 0x3c, the DOS header's e_lfanew.
        let pe_offset = le32(bytes, 0x3c).unwrap_or(0);
        info.efi_stub = Some(check_pe(bytes, pe_offset, info.arch)?);
    }
    Ok(info)
}

fn le16(bytes: &[u8], pos: usize) -> Option<u16> {
    let b: [u8; 2] = bytes.get(pos..pos.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_le_bytes(b))
}

fn parse_arm64(head: &[u8]) -> Result<ImageInfo> {
    let h = arm64_image_header::read_from_bytes(head).map_err(|_| Error::ReadImageHeader)?;
    let image_size = u64::from_le(h.image_size);
    let flags = u64::from_le(h.flags);
    // Before 3.17 image_size is 0, text_offset is 0x80000 in the kernel's endianness, and flags
    // did not exist.
    let (text_offset, flags) = if image_size == 0 {
        (ARM64_LEGACY_TEXT_OFFSET, 0)
    } else {
        (u64::from_le(h.text_offset), flags)
    };
    if flags & IMAGE_FLAG_BE != 0 {
        return Err(Error::BigEndianKernel {
            arch: Arch::Arm64,
            flags,
        });
    }
    let page_size =
        match (flags >> ARM64_IMAGE_FLAG_PAGE_SIZE_SHIFT) & ARM64_IMAGE_FLAG_PAGE_SIZE_MASK {
            1 => PageSize::Size4K,
            2 => PageSize::Size16K,
            3 => PageSize::Size64K,
            _ => PageSize::Unspecified,
        };
    Ok(ImageInfo {
        arch: Arch::Arm64,
        text_offset,
        image_size,
        flags,
        page_size,
        phys_base_anywhere: flags & ARM64_IMAGE_FLAG_PHYS_BASE != 0,
        version: 0,
        efi_stub: None,
    })
}

fn parse_riscv64(head: &[u8]) -> Result<ImageInfo> {
    let h = riscv64_image_header::read_from_bytes(head).map_err(|_| Error::ReadImageHeader)?;
    let version = u32::from_le(h.version);
    if version < RISCV_HEADER_VERSION_0_2 {
        return Err(Error::UnsupportedHeaderVersion { version });
    }
    let flags = u64::from_le(h.flags);
    if flags & IMAGE_FLAG_BE != 0 {
        return Err(Error::BigEndianKernel {
            arch: Arch::Riscv64,
            flags,
        });
    }
    let image_size = u64::from_le(h.image_size);
    if image_size == 0 {
        return Err(Error::ImageSizeZero);
    }
    Ok(ImageInfo {
        arch: Arch::Riscv64,
        text_offset: u64::from_le(h.text_offset),
        image_size,
        flags,
        page_size: PageSize::Unspecified,
        phys_base_anywhere: false,
        version,
        efi_stub: None,
    })
}

/// Size of the PE signature plus the COFF file header.
const PE_SIG_AND_COFF: u64 = 4 + 20;

/// PE/COFF sanity of an `"MZ"` image, through goblin on the bounded header bytes.
fn check_pe(bytes: &[u8], pe_offset: u32, arch: Arch) -> Result<EfiStub> {
    let min = u64::try_from(IMAGE_HEADER_SIZE).unwrap_or(u64::MAX);
    let available = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    // One past the largest offset whose signature and COFF header fit in the bytes read.
    let max = available.saturating_sub(PE_SIG_AND_COFF).saturating_add(1);
    let off = u64::from(pe_offset);
    if off < min || off >= max {
        return Err(Error::PeHeaderOutOfRange {
            pe_offset,
            min,
            max,
        });
    }
    let malformed = Error::PeHeaderMalformed { pe_offset };
    // goblin sees only the bounded header bytes; its errors (which carry strings) are mapped to
    // ours and its types never leave this function.
    let header = goblin::pe::header::Header::parse(bytes).map_err(|_| malformed)?;
    let expected = match arch {
        Arch::Arm64 => IMAGE_FILE_MACHINE_ARM64,
        Arch::Riscv64 => IMAGE_FILE_MACHINE_RISCV64,
    };
    let machine = header.coff_header.machine;
    if machine != expected {
        return Err(Error::PeMachineMismatch { machine, expected });
    }
    let Some(opt) = header.optional_header else {
        return Err(Error::PeNotPe32Plus { pe_offset });
    };
    if opt.standard_fields.magic != PE32PLUS_MAGIC {
        return Err(Error::PeNotPe32Plus { pe_offset });
    }
    let entry = opt.standard_fields.address_of_entry_point;
    let size_of_image = opt.windows_fields.size_of_image;
    if entry == 0 || entry >= size_of_image {
        return Err(Error::PeEntryOutsideImage {
            entry,
            size_of_image,
        });
    }
    Ok(EfiStub {
        pe_offset,
        machine,
        entry_point: entry,
        size_of_image,
        subsystem: opt.windows_fields.subsystem,
    })
}
