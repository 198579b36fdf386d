// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Identifying any supported kernel image without touching guest memory ([`probe`]), and
//! loading whatever it is with one call ([`load_any`]).
//!
//! ```no_run
//! use std::fs::File;
//! use linux_loader::probe::{LoadOptions, load_any, probe};
//! use vm_memory::{GuestAddress, GuestMemoryMmap};
//!
//! let info = probe(&mut File::open("/boot/vmlinuz")?)?;
//! println!("{:?} {:?} {:?} PVH {:?}", info.format, info.arch, info.compression, info.pvh_entry);
//!
//! let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 256 << 20)])?;
//! let loaded = load_any(&mem, &mut File::open("/boot/vmlinuz")?, &LoadOptions::default())?;
//! println!("entry points: {:?}", loaded.result.entry);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Read, Seek, SeekFrom};

use kernel_bzimage::BzImage;
use kernel_decompress::{Compression, Limits};
use kernel_elf::Elf;
use kernel_pe::{ImageFormat, PE};
use loader_core::{KernelLoader, KernelLoaderResult};
use vm_memory::{GuestAddress, GuestMemoryBackend, ReadVolatile};

/// The kind of image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// An x86 ELF vmlinux.
    ElfVmlinux,
    /// An x86 bzImage (its payload is a compressed vmlinux).
    BzImage,
    /// An uncompressed arm64 `Image`.
    Arm64Image,
    /// An uncompressed riscv64 `Image`.
    Riscv64Image,
    /// A compressed stream (`Image.gz`, `vmlinux.zst`...); [`ImageInfo::inner`] says of what.
    Compressed,
    /// An EFI zboot image; [`ImageInfo::inner`] says what its payload is.
    EfiZboot,
}

/// The architecture a kernel is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Arch {
    /// x86_64.
    X86_64,
    /// 32-bit x86.
    I386,
    /// arm64.
    Arm64,
    /// riscv64.
    Riscv64,
}

/// What [`probe`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImageInfo {
    /// The outer format.
    pub format: Format,
    /// For bzImage, compressed and zboot images: the format of what is inside (a vmlinux, an
    /// `Image`), found from the first decompressed bytes.
    pub inner: Option<Format>,
    /// The architecture.
    pub arch: Option<Arch>,
    /// The compression of the image or its payload.
    pub compression: Option<Compression>,
    /// x86 boot protocol version (bzImage), e.g. `0x020f`.
    pub protocol: Option<u16>,
    /// The kernel version: a bzImage's `kernel_version` string, else the `Linux version ...`
    /// banner found in the (decompressed) image.
    pub kernel_version: Option<String>,
    /// The PVH entry from the vmlinux's `XEN_ELFNOTE_PHYS32_ENTRY` note (vmlinux, and bzImage
    /// by reading into its decompressed payload); `None` when absent or not applicable.
    pub pvh_entry: Option<GuestAddress>,
    /// Size of the file.
    pub file_size: u64,
    /// Size of the decompressed payload, when known (stated by the container, or measured).
    pub decompressed_size: Option<u64>,
    /// Guest memory the kernel occupies once loaded: ELF segments' span, `image_size`, or a
    /// bzImage's `init_size`.
    pub memory_size: Option<u64>,
}

/// Why probing or loading failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The image is none of the supported formats.
    #[error("unrecognised kernel image (first bytes {first:02x?})")]
    Unrecognized {
        /// Up to the first 8 bytes.
        first: Vec<u8>,
    },
    /// Reading the image failed.
    #[error("reading the image: {0}")]
    Io(#[from] io::Error),
    /// An ELF error.
    #[error(transparent)]
    Elf(#[from] kernel_elf::Error),
    /// A bzImage error.
    #[error(transparent)]
    BzImage(#[from] kernel_bzimage::Error),
    /// An arm64/riscv64 Image error.
    #[error(transparent)]
    Pe(#[from] kernel_pe::Error),
    /// A decompression error.
    #[error(transparent)]
    Decompress(#[from] kernel_decompress::Error),
}

/// Result alias for this module.
pub type Result<T> = std::result::Result<T, Error>;

/// Bytes of the stream scanned for the `Linux version` banner and the PVH note: at most the
/// decompression limit (the banner sits in `.rodata`, megabytes in).
const BANNER: &[u8] = b"Linux version ";

/// Identifies a kernel image without touching guest memory.
///
/// Reads the headers, and for a vmlinux, compressed or zboot image or a bzImage's payload,
/// streams through the (decompressed) image once with bounded memory to find the kernel version
/// banner and the PVH note. Decompression is bounded by [`Limits::default`].
pub fn probe<R: Read + Seek>(image: &mut R) -> Result<ImageInfo> {
    let file_size = image.seek(SeekFrom::End(0))?;
    let mut head = vec![0u8; 4096];
    image.seek(SeekFrom::Start(0))?;
    let got = read_full(image, &mut head)?;
    head.truncate(got);
    let mut info = ImageInfo {
        format: Format::Compressed,
        inner: None,
        arch: None,
        compression: None,
        protocol: None,
        kernel_version: None,
        pvh_entry: None,
        file_size,
        decompressed_size: None,
        memory_size: None,
    };

    if head.starts_with(b"\x7fELF") {
        info.format = Format::ElfVmlinux;
        image.seek(SeekFrom::Start(0))?;
        scan_vmlinux(image, &mut info)?;
        return Ok(info);
    }
    if head.get(0x1fe..0x200) == Some(&[0x55, 0xaa]) && head.get(0x202..0x206) == Some(b"HdrS") {
        info.format = Format::BzImage;
        info.arch = Some(Arch::X86_64);
        let payload = kernel_bzimage::payload_info(image)?;
        info.protocol = Some(payload.info.protocol);
        info.kernel_version = payload.info.kernel_version.clone();
        info.compression = Some(payload.compression);
        info.decompressed_size = Some(payload.vmlinux_len);
        info.memory_size = Some(payload.info.init_size);
        let (_, stream) = kernel_bzimage::extract_vmlinux(&mut *image, Limits::default())?;
        info.inner = Some(Format::ElfVmlinux);
        let version = info.kernel_version.take();
        scan_vmlinux(stream, &mut info)?;
        info.kernel_version = version.or(info.kernel_version.take());
        info.memory_size = info.memory_size.filter(|&s| s > 0);
        return Ok(info);
    }
    match kernel_pe::probe(&head) {
        ImageFormat::Image(arch) => {
            let pe_info = PE::inspect(image)?;
            info.format = image_format(arch);
            info.arch = Some(image_arch(arch));
            info.memory_size = Some(pe_info.image_size.max(file_size));
            image.seek(SeekFrom::Start(0))?;
            info.kernel_version = find_banner(image)?;
            return Ok(info);
        }
        ImageFormat::Compressed(_) => {}
        _ => {
            head.truncate(8);
            return Err(Error::Unrecognized { first: head });
        }
    }
    let located = kernel_pe::locate_compressed(image)?;
    info.format = if located.zboot.is_some() {
        Format::EfiZboot
    } else {
        Format::Compressed
    };
    info.compression = Some(located.compression);
    image.seek(SeekFrom::Start(located.payload_offset))?;
    let limits = Limits::default().with_expected_size(located.decompressed_len);
    let mut stream = kernel_decompress::decoder(
        located.compression,
        (&mut *image).take(located.payload_len),
        limits,
    )?;
    let mut inner_head = vec![0u8; 4096];
    let got = read_full(&mut stream, &mut inner_head)?;
    inner_head.truncate(got);
    let replay = io::Cursor::new(inner_head.clone()).chain(stream);
    if inner_head.starts_with(b"\x7fELF") {
        info.inner = Some(Format::ElfVmlinux);
        scan_vmlinux(replay, &mut info)?;
    } else if let ImageFormat::Image(arch) = kernel_pe::probe(&inner_head) {
        let pe_info = kernel_pe::parse_image_header(&inner_head)?;
        info.inner = Some(image_format(arch));
        info.arch = Some(image_arch(arch));
        let (banner, len) = scan(replay, &[])?.into_parts();
        info.kernel_version = banner;
        info.decompressed_size = Some(len);
        info.memory_size = Some(pe_info.image_size.max(len));
    }
    Ok(info)
}

fn image_format(arch: kernel_pe::Arch) -> Format {
    match arch {
        kernel_pe::Arch::Arm64 => Format::Arm64Image,
        kernel_pe::Arch::Riscv64 => Format::Riscv64Image,
    }
}

fn image_arch(arch: kernel_pe::Arch) -> Arch {
    match arch {
        kernel_pe::Arch::Arm64 => Arch::Arm64,
        kernel_pe::Arch::Riscv64 => Arch::Riscv64,
    }
}

/// Parses a vmlinux's headers from the start of `stream`, then scans it for the banner and the
/// PVH note.
fn scan_vmlinux<S: Read>(mut stream: S, info: &mut ImageInfo) -> Result<()> {
    let mut head = vec![0u8; 64 * 1024];
    let got = read_full(&mut stream, &mut head)?;
    head.truncate(got);
    let header = kernel_elf::parse_ehdr(&head)?;
    let table = loader_core::read_at(
        &head,
        header.phoff,
        header.phdrs_size(),
        "ELF program headers",
    )
    .map_err(kernel_elf::Error::from)?;
    let phdrs = kernel_elf::parse_phdrs(&header, table)?;
    let plan = kernel_elf::plan(&header, &phdrs, None, None, None)?;
    info.arch = Some(match header.machine {
        kernel_elf::Machine::I386 => Arch::I386,
        _ => Arch::X86_64,
    });
    info.memory_size = Some(plan.loaded.len);
    let windows: Vec<(u64, u64)> = plan.notes.iter().map(|n| (n.offset, n.len)).collect();
    let scanned = scan(io::Cursor::new(head).chain(stream), &windows)?;
    for note in &scanned.notes {
        if let Some(entry) = kernel_elf::find_pvh_entry(note)? {
            info.pvh_entry = info.pvh_entry.or(Some(GuestAddress(u64::from(entry))));
        }
    }
    info.kernel_version = info.kernel_version.take().or(scanned.banner);
    if info.format != Format::ElfVmlinux {
        info.decompressed_size = info.decompressed_size.or(Some(scanned.len));
    }
    Ok(())
}

/// What one pass over a stream found.
struct Scanned {
    banner: Option<String>,
    notes: Vec<Vec<u8>>,
    len: u64,
}

impl Scanned {
    fn into_parts(self) -> (Option<String>, u64) {
        (self.banner, self.len)
    }
}

/// Reads `stream` to its end in 64 KiB chunks, capturing the byte `windows` (offset, len) and the
/// first `Linux version ...` line. Memory: one chunk, the windows, 256 bytes of banner.
fn scan<S: Read>(mut stream: S, windows: &[(u64, u64)]) -> Result<Scanned> {
    let mut notes: Vec<Vec<u8>> = windows.iter().map(|_| Vec::new()).collect();
    let mut banner: Option<String> = None;
    let mut buf = vec![0u8; 64 * 1024];
    // Bytes kept from the previous chunk, so a banner split across chunks is still found.
    let mut carry: Vec<u8> = Vec::new();
    let mut pos: u64 = 0;
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(find_decompress(e)),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        let end = pos.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        for (w, note) in windows.iter().zip(notes.iter_mut()) {
            let from = w.0.max(pos);
            let to = w.0.saturating_add(w.1).min(end);
            if from < to {
                let a = usize::try_from(from.saturating_sub(pos)).unwrap_or(0);
                let b = usize::try_from(to.saturating_sub(pos)).unwrap_or(0);
                note.extend_from_slice(chunk.get(a..b).unwrap_or_default());
            }
        }
        if banner.is_none() {
            carry.extend_from_slice(chunk);
            banner = banner_in(&carry);
            let keep = carry.len().saturating_sub(512);
            carry.drain(..keep);
        }
        pos = end;
    }
    Ok(Scanned {
        banner,
        notes,
        len: pos,
    })
}

/// The `Linux version ...` line in `bytes`, if complete.
fn banner_in(bytes: &[u8]) -> Option<String> {
    let start = bytes.windows(BANNER.len()).position(|w| w == BANNER)?;
    let rest = bytes.get(start..)?;
    let end = rest.iter().position(|&b| b == b'\n' || b == 0)?;
    let line = rest.get(..end.min(256))?;
    line.iter()
        .all(|b| (0x20..0x7f).contains(b))
        .then(|| String::from_utf8_lossy(line).into_owned())
}

fn find_banner<S: Read>(stream: S) -> Result<Option<String>> {
    Ok(scan(stream, &[])?.banner)
}

/// The decompressor's error out of an `io::Error`, or the `io::Error` itself.
fn find_decompress(e: io::Error) -> Error {
    if e.get_ref()
        .is_some_and(|i| i.is::<kernel_decompress::Error>())
    {
        if let Some(Ok(ours)) = e
            .into_inner()
            .map(|i| i.downcast::<kernel_decompress::Error>())
        {
            return Error::Decompress(*ours);
        }
        return Error::Io(io::ErrorKind::InvalidData.into());
    }
    Error::Io(e)
}

fn read_full<S: Read + ?Sized>(r: &mut S, buf: &mut [u8]) -> Result<usize> {
    loader_core::read_full(r, buf).map_err(find_decompress)
}

/// How [`load_any`] loads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadOptions {
    /// As `KernelLoader::load`'s `kernel_offset`.
    pub kernel_offset: Option<GuestAddress>,
    /// As `KernelLoader::load`'s `highmem_start_address`.
    pub highmem_start_address: Option<GuestAddress>,
    /// Decompression bounds.
    pub limits: Limits,
    /// Load a bzImage's extracted vmlinux (for PVH boot) instead of the bzImage itself.
    pub bzimage_as_vmlinux: bool,
}

impl LoadOptions {
    /// Sets [`kernel_offset`](Self::kernel_offset).
    pub fn with_kernel_offset(mut self, offset: Option<GuestAddress>) -> Self {
        self.kernel_offset = offset;
        self
    }

    /// Sets [`highmem_start_address`](Self::highmem_start_address).
    pub fn with_highmem_start_address(mut self, addr: Option<GuestAddress>) -> Self {
        self.highmem_start_address = addr;
        self
    }

    /// Sets [`limits`](Self::limits).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets [`bzimage_as_vmlinux`](Self::bzimage_as_vmlinux).
    pub fn with_bzimage_as_vmlinux(mut self, yes: bool) -> Self {
        self.bzimage_as_vmlinux = yes;
        self
    }
}

/// What [`load_any`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadedKernel {
    /// The image, as [`probe`] saw it.
    pub info: ImageInfo,
    /// The format that was actually loaded (a bzImage's vmlinux, a compressed Image's Image).
    pub loaded_as: Format,
    /// The load's result.
    pub result: KernelLoaderResult,
}

/// Probes `image` and loads it with the matching loader: vmlinux → [`Elf`], bzImage →
/// [`BzImage`] (or its vmlinux with [`LoadOptions::bzimage_as_vmlinux`]), Image → [`PE`],
/// compressed Image or EFI zboot → [`PE::load_compressed`], compressed vmlinux →
/// [`Elf::load_from_stream`]. Every rule of the underlying loader holds, validation before
/// writing included.
pub fn load_any<F, M: GuestMemoryBackend>(
    guest_mem: &M,
    image: &mut F,
    opts: &LoadOptions,
) -> Result<LoadedKernel>
where
    F: Read + ReadVolatile + Seek,
{
    let info = probe(image)?;
    image.seek(SeekFrom::Start(0))?;
    let (offset, highmem) = (opts.kernel_offset, opts.highmem_start_address);
    let (loaded_as, result) = match (info.format, info.inner) {
        (Format::ElfVmlinux, _) => (
            Format::ElfVmlinux,
            Elf::load_detailed(guest_mem, offset, image, highmem)?.result,
        ),
        (Format::BzImage, _) if opts.bzimage_as_vmlinux => (
            Format::ElfVmlinux,
            BzImage::load_vmlinux(guest_mem, offset, image, highmem, opts.limits)?
                .elf
                .result,
        ),
        (Format::BzImage, _) => (
            Format::BzImage,
            BzImage::load_detailed(guest_mem, offset, image, highmem)?.result,
        ),
        (Format::Arm64Image | Format::Riscv64Image, _) => {
            (info.format, PE::load(guest_mem, offset, image, highmem)?)
        }
        (Format::Compressed, Some(Format::ElfVmlinux)) => {
            let c = info
                .compression
                .ok_or(Error::Unrecognized { first: Vec::new() })?;
            let stream = kernel_decompress::decoder(c, &mut *image, opts.limits)?;
            (
                Format::ElfVmlinux,
                Elf::load_from_stream(guest_mem, offset, stream, highmem, None)?.result,
            )
        }
        (Format::Compressed | Format::EfiZboot, inner) => (
            inner.unwrap_or(info.format),
            PE::load_compressed(guest_mem, offset, image, highmem, opts.limits)?.result,
        ),
    };
    Ok(LoadedKernel {
        info,
        loaded_as,
        result,
    })
}
