// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `PE`: the `KernelLoader` for arm64 and riscv64 `Image`s, and `load_dtb`.

use std::io::{ErrorKind, Read, Seek, SeekFrom};

use boot_fdt::FdtBootConfigurator;
use loader_core::configurator::{BootParams, Error as CfgError, fdt};
use loader_core::{
    EntryPoints, GuestRange, KernelLoader, KernelLoaderResult, LoadPlan, SeekSource, Segment,
};
use vm_memory::{GuestAddress, GuestMemoryBackend, ReadVolatile};

use crate::error::{Error, Result};
use crate::header::IMAGE_BASE_ALIGN;
use crate::limits::{MAX_DTB_SIZE, MAX_HEADER_BYTES, MAX_IMAGE_SIZE};
use crate::parse::{ImageInfo, parse_image_header};

/// The arm64 / riscv64 `Image` loader (upstream linux-loader's `loader::pe::PE`).
///
/// Both architectures load on every host: the magic at 0x38 says which one an image is.
///
/// The image is loaded at `kernel_offset + text_offset` (`kernel_offset` defaults to 0 and must
/// be 2 MiB aligned), as upstream does. Unlike upstream:
///
/// * the whole `image_size` range is checked against guest memory before anything is written,
///   and the part past the file (the BSS) is zeroed;
/// * `kernel_end` is `load + max(image_size, file size)`, so structures placed after it do not
///   land in the kernel's BSS (upstream stops at the file size);
/// * `highmem_start_address` is honoured (every byte written must be at or above it);
/// * big-endian kernels, riscv64 headers without `image_size` or older than 0.2, inconsistent EFI
///   stubs and compressed images are rejected with their own errors;
/// * `entry.image`, `loaded` and `needs_free` are filled in.
#[derive(Debug)]
pub struct PE;

/// What [`plan_image`] decided: the plan for the executor and the result to report after it ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImagePlan {
    /// The single segment: the file at the load address, zero-filled up to `image_size`.
    pub plan: LoadPlan,
    /// The result `load` returns once the plan has run.
    pub result: KernelLoaderResult,
}

/// Plans the load of an image whose first bytes gave `info` and whose file holds `file_len`
/// bytes. A pure function: nothing is read or written.
pub fn plan_image(
    info: &ImageInfo,
    file_len: u64,
    kernel_offset: Option<GuestAddress>,
    highmem_start_address: Option<GuestAddress>,
) -> Result<ImagePlan> {
    let base = kernel_offset.unwrap_or(GuestAddress(0));
    if base.0 & (IMAGE_BASE_ALIGN - 1) != 0 {
        return Err(Error::InvalidBaseAddrAlignment);
    }
    let mem_len = file_len.max(info.image_size);
    if mem_len > MAX_IMAGE_SIZE {
        return Err(Error::ImageTooLarge {
            size: mem_len,
            max: MAX_IMAGE_SIZE,
        });
    }
    let load = base
        .0
        .checked_add(info.text_offset)
        .ok_or(Error::InvalidImage)?;
    let end = load.checked_add(mem_len).ok_or(Error::InvalidImage)?;
    let mut plan = LoadPlan::new().with_highmem_start(highmem_start_address);
    plan.push(Segment {
        file_offset: 0,
        file_len,
        guest_addr: GuestAddress(load),
        mem_len,
    })
    .map_err(Error::Plan)?;
    let range = GuestRange::new(GuestAddress(load), mem_len);
    Ok(ImagePlan {
        plan,
        result: KernelLoaderResult {
            kernel_load: GuestAddress(load),
            kernel_end: end,
            loaded: range,
            entry: EntryPoints {
                image: Some(GuestAddress(load)),
                ..EntryPoints::default()
            },
            needs_free: range,
        },
    })
}

/// Reads the first `min(file_len, MAX_HEADER_BYTES)` bytes, mapping failures to upstream's
/// header errors.
fn read_header<F: Read + Seek>(image: &mut F, file_len: u64) -> Result<Vec<u8>> {
    let n = usize::try_from(file_len)
        .unwrap_or(MAX_HEADER_BYTES)
        .min(MAX_HEADER_BYTES);
    image
        .seek(SeekFrom::Start(0))
        .map_err(|_| Error::SeekImageHeader)?;
    let mut buf = vec![0u8; n];
    let mut filled = 0usize;
    while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
        match image.read(rest) {
            Ok(0) => break,
            Ok(k) => filled = filled.saturating_add(k),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Err(Error::ReadImageHeader),
        }
    }
    buf.truncate(filled);
    Ok(buf)
}

impl PE {
    /// Reads and parses the header of `kernel_image` without loading it.
    pub fn inspect<F: Read + Seek>(kernel_image: &mut F) -> Result<ImageInfo> {
        let file_len = kernel_image
            .seek(SeekFrom::End(0))
            .map_err(|_| Error::SeekImageEnd)?;
        let header = read_header(kernel_image, file_len)?;
        parse_image_header(&header)
    }
}

impl KernelLoader for PE {
    type Error = Error;

    /// Loads an arm64 or riscv64 `Image` at `kernel_offset + text_offset`.
    ///
    /// Guest memory is untouched on every error except an I/O failure part-way through the copy
    /// ([`Error::Plan`] then says what was written).
    fn load<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<KernelLoaderResult>
    where
        F: Read + ReadVolatile + Seek,
    {
        let file_len = kernel_image
            .seek(SeekFrom::End(0))
            .map_err(|_| Error::SeekImageEnd)?;
        let header = read_header(kernel_image, file_len)?;
        let info = parse_image_header(&header)?;
        // An EFI stub's PE headers say where the file's bytes end: a shorter file is truncated
        // (the executor's own check cannot see it, as the plan covers whatever the file holds).
        if let Some(end) = stub_file_end(&header, &info).filter(|&end| end > file_len) {
            return Err(Error::Plan(loader_core::Error::SegmentOutsideSource {
                index: 0,
                offset: 0,
                end,
                source_len: file_len,
            }));
        }
        let planned = plan_image(&info, file_len, kernel_offset, highmem_start_address)?;
        planned
            .plan
            .execute(guest_mem, &mut SeekSource::with_len(kernel_image, file_len))
            .map_err(Error::Plan)?;
        Ok(planned.result)
    }
}

/// Where the file of an `Image` with an EFI stub must end at least: the end of the last
/// section's raw data, or of the Authenticode signature (the PE security directory) when that
/// comes later; when the file ends inside the COFF header or the section table, the end of what
/// is missing. `None` without a stub, or when the section table lies past the bytes read.
fn stub_file_end(header: &[u8], info: &ImageInfo) -> Option<u64> {
    // Err carries the file length the missing bytes prove the image has.
    let bytes = |pos: usize, n: usize| -> core::result::Result<&[u8], u64> {
        let end = pos.checked_add(n).ok_or(u64::MAX)?;
        header
            .get(pos..end)
            .ok_or_else(|| u64::try_from(end).unwrap_or(u64::MAX))
    };
    let le16 =
        |pos: usize| bytes(pos, 2).map(|b| u16::from_le_bytes(b.try_into().unwrap_or_default()));
    let le32 =
        |pos: usize| bytes(pos, 4).map(|b| u32::from_le_bytes(b.try_into().unwrap_or_default()));
    let pe = usize::try_from(info.efi_stub?.pe_offset).ok()?;
    let walk = || -> core::result::Result<u64, u64> {
        let at = |base: usize, off: usize| base.checked_add(off).ok_or(u64::MAX);
        // COFF header after "PE\0\0": NumberOfSections at +6, SizeOfOptionalHeader at +20.
        let sections = usize::from(le16(at(pe, 6)?)?);
        let optional = at(pe, 24)?;
        let optional_size = usize::from(le16(at(pe, 20)?)?);
        let table = at(optional, optional_size)?;
        let mut end = 0u64;
        for i in 0..sections {
            let entry = at(table, i.checked_mul(40).ok_or(u64::MAX)?)?;
            // SizeOfRawData at +16, PointerToRawData at +20.
            let size = u64::from(le32(at(entry, 16)?)?);
            let ptr = u64::from(le32(at(entry, 20)?)?);
            end = end.max(ptr.saturating_add(size));
        }
        // PE32+ data directory 4 (certificate table: file offset, size) at optional + 144, when
        // the optional header is long enough to hold it.
        if optional_size >= 152 {
            let off = le32(at(optional, 144)?)?;
            let len = le32(at(optional, 148)?)?;
            if off != 0 {
                end = end.max(u64::from(off).saturating_add(u64::from(len)));
            }
        }
        Ok(end)
    };
    match walk() {
        Ok(end) => Some(end),
        // The whole file was read and it ends inside its own PE headers.
        Err(needed) if header.len() < MAX_HEADER_BYTES => Some(needed),
        Err(_) => None,
    }
}

/// Writes the device tree in `dtb_image` to `guest_addr` (upstream linux-loader's
/// `loader::pe::load_dtb`, with validation).
///
/// The DTB is read into a buffer of at most [`MAX_DTB_SIZE`] bytes, validated with
/// [`boot_fdt::validate`], and written by [`FdtBootConfigurator`] — only after the address is
/// checked to be 8-byte aligned (booting.rst) and the whole DTB to fit in guest memory. Guest
/// memory is untouched on every error.
pub fn load_dtb<F, M: GuestMemoryBackend>(
    guest_mem: &M,
    guest_addr: GuestAddress,
    dtb_image: &mut F,
) -> Result<()>
where
    F: ReadVolatile + Read + Seek,
{
    let size = dtb_image
        .seek(SeekFrom::End(0))
        .map_err(|_| Error::SeekDtbEnd)?;
    let size_usize = usize::try_from(size).map_err(|_| Error::DtbTooBig)?;
    if size_usize > MAX_DTB_SIZE {
        return Err(Error::DtbTooBig);
    }
    dtb_image
        .seek(SeekFrom::Start(0))
        .map_err(|_| Error::SeekDtbStart)?;
    let mut bytes = vec![0u8; size_usize];
    dtb_image
        .read_exact(&mut bytes)
        .map_err(|_| Error::ReadDtbImage)?;
    if guest_addr.0 & 7 != 0 {
        return Err(Error::DtbMisaligned { addr: guest_addr.0 });
    }
    let params = BootParams {
        header: bytes,
        header_start: guest_addr,
        sections: None,
        sections_start: None,
        modules: None,
        modules_start: None,
    };
    // The configurator validates the DTB, checks the range, then writes.
    FdtBootConfigurator::write_validated(&params, guest_mem)
        .map(|_| ())
        .map_err(|e| match e {
            boot_fdt::Error::Configurator(CfgError::Fdt(fdt::Error::FDTPastRamEnd)) => {
                Error::DtbPastRamEnd {
                    addr: guest_addr.0,
                    size,
                }
            }
            boot_fdt::Error::Configurator(_) => Error::ReadDtbImage,
            invalid => Error::InvalidDtb(invalid),
        })
}
