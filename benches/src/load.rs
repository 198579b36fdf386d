// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The three contenders of a plain load, sharing one guest memory and one open file:
//!
//! * **ours** — the workspace's loader (`kernel-elf`, `kernel-bzimage`, `kernel-pe`): bounded
//!   header reads, a plan validated as a whole, then `LoadPlan::execute` (BSS zero-fill included);
//! * **limit** — a raw copy of exactly the file bytes our plan copies, segment by segment, to the
//!   same guest addresses: a seek and one `read_exact_volatile_from` per segment, no parsing, no
//!   checks, no zero-fill. No loader can copy those bytes faster;
//! * **limit + zero** — the limit, then the same raw zero-fill of the bytes past each segment's
//!   file bytes (BSS) that our load writes: the least work that leaves guest memory exactly as
//!   our load does (upstream leaves BSS as it was). Measured only when there is BSS;
//! * **upstream** — rust-vmm `linux-loader` 0.14 from crates.io, where it supports the format on
//!   this host.
//!
//! Guest memory is allocated once per kernel and pre-faulted (every page written) before any
//! timing, so no contender pays for page faults the others avoid.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use kernel_bzimage::BzImage;
use kernel_elf::Elf;
use kernel_pe::PE;
use loader_core::{KernelLoader, LoadPlan, Segment};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

use crate::kernels::{Case, Format};

/// Start of x86 guest RAM.
pub const X86_RAM: u64 = 0;
/// Start of arm64 guest RAM (QEMU `virt`).
pub const ARM64_RAM: u64 = 0x4000_0000;
/// Where an arm64 Image is loaded: RAM + 2 MiB (2 MiB aligned, as booting.rst asks).
pub const ARM64_KERNEL: u64 = ARM64_RAM + 0x20_0000;

const MIB: u64 = 1 << 20;

/// Guest memory as the benches use it.
pub type Mem = GuestMemoryMmap<()>;

/// A kernel ready to be loaded repeatedly: its file, its guest memory, and the segments our
/// plan copies (which the limit copies too).
#[derive(Debug)]
pub struct Prepared {
    /// The kernel.
    pub case: Case<Format>,
    /// Guest memory, allocated and pre-faulted once.
    pub mem: Mem,
    file: File,
    kernel_offset: Option<GuestAddress>,
    segments: Vec<Segment>,
    zero_bytes: u64,
    /// The BSS ranges our plan zero-fills: (guest address, length).
    zero_ranges: Vec<(GuestAddress, u64)>,
}

/// The zero source of [`Prepared::limit_zeroed`]: as large as loader-core's, so both fill at the
/// same store bandwidth.
static ZEROS: [u8; loader_core::limits::ZERO_CHUNK] = [0; loader_core::limits::ZERO_CHUNK];

/// Our plan for `file`, through the loaders' pure parse and plan functions.
pub fn plan_of(
    format: Format,
    file: &mut File,
    kernel_offset: Option<GuestAddress>,
) -> Result<LoadPlan, String> {
    let file_len = loader_core::source_len(file).map_err(|e| e.to_string())?;
    let mut head = vec![0u8; 64 * 1024];
    let n = usize::try_from(file_len)
        .unwrap_or(usize::MAX)
        .min(head.len());
    head.truncate(n);
    file.read_exact(&mut head).map_err(|e| e.to_string())?;
    match format {
        Format::Elf => {
            let header = kernel_elf::parse_ehdr(&head).map_err(|e| e.to_string())?;
            let mut table = vec![0u8; usize::try_from(header.phdrs_size()).unwrap_or(0)];
            loader_core::read_exact_at(file, header.phoff, &mut table, "phdrs")
                .map_err(|e| e.to_string())?;
            let phdrs = kernel_elf::parse_phdrs(&header, &table).map_err(|e| e.to_string())?;
            kernel_elf::plan(&header, &phdrs, kernel_offset, None, Some(file_len))
                .map(|p| p.plan)
                .map_err(|e| e.to_string())
        }
        Format::BzImage => kernel_bzimage::parse(&head, file_len)
            .and_then(|info| info.plan(kernel_offset, None))
            .map(|p| p.plan)
            .map_err(|e| e.to_string()),
        Format::Image => kernel_pe::parse_image_header(&head)
            .and_then(|info| kernel_pe::plan_image(&info, file_len, kernel_offset, None))
            .map(|p| p.plan)
            .map_err(|e| e.to_string()),
    }
}

/// Allocates `[base, base + len)` and writes every page of it once.
pub fn prefaulted_memory(base: u64, len: u64) -> Result<Mem, String> {
    let mem = Mem::from_ranges(&[(GuestAddress(base), len as usize)]).map_err(|e| e.to_string())?;
    let chunk = vec![0u8; MIB as usize];
    let mut off = 0;
    while off < len {
        let n = (len - off).min(MIB) as usize;
        mem.write_slice(&chunk[..n], GuestAddress(base + off))
            .map_err(|e| e.to_string())?;
        off += MIB;
    }
    Ok(mem)
}

/// Reads the whole file once, so every contender starts from a warm page cache.
pub fn warm_page_cache(file: &mut File) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    std::io::copy(file, &mut std::io::sink())?;
    file.seek(SeekFrom::Start(0))?;
    Ok(())
}

impl Prepared {
    /// Opens the kernel, plans it, allocates guest memory covering the plan (plus 2 MiB) and
    /// pre-faults it, and warms the page cache.
    pub fn new(case: Case<Format>) -> Result<Self, String> {
        let mut file =
            File::open(&case.path).map_err(|e| format!("{}: {e}", case.path.display()))?;
        let (base, kernel_offset) = match case.format() {
            Format::Elf | Format::BzImage => (X86_RAM, None),
            Format::Image => (ARM64_RAM, Some(GuestAddress(ARM64_KERNEL))),
        };
        let plan = plan_of(case.format(), &mut file, kernel_offset)?;
        let end = plan
            .segments()
            .iter()
            .map(|s| s.guest_addr.0 + s.mem_len)
            .max()
            .unwrap_or(base);
        let len = (end - base).div_ceil(2 * MIB) * 2 * MIB + 2 * MIB;
        let mem = prefaulted_memory(base, len)?;
        let zero_bytes = plan.segments().iter().map(|s| s.mem_len - s.file_len).sum();
        let zero_ranges = plan
            .segments()
            .iter()
            .filter(|s| s.mem_len > s.file_len)
            .map(|s| {
                (
                    GuestAddress(s.guest_addr.0 + s.file_len),
                    s.mem_len - s.file_len,
                )
            })
            .collect();
        let mut segments: Vec<Segment> = plan
            .segments()
            .iter()
            .copied()
            .filter(|s| s.file_len > 0)
            .collect();
        // The executor copies in file order; so does the limit.
        segments.sort_by_key(|s| s.file_offset);
        warm_page_cache(&mut file).map_err(|e| e.to_string())?;
        Ok(Self {
            case,
            mem,
            file,
            kernel_offset,
            segments,
            zero_bytes,
            zero_ranges,
        })
    }

    /// Bytes copied from the file (the same for ours and the limit).
    pub fn file_bytes(&self) -> u64 {
        self.segments.iter().map(|s| s.file_len).sum()
    }

    /// Bytes our load zero-fills past the file bytes (BSS); the limit does not write them.
    pub fn zero_bytes(&self) -> u64 {
        self.zero_bytes
    }

    /// Our load; returns `kernel_end`.
    pub fn ours(&mut self) -> Result<u64, String> {
        let (mem, file, offset) = (&self.mem, &mut self.file, self.kernel_offset);
        match self.case.format() {
            Format::Elf => Elf::load(mem, offset, file, None)
                .map(|r| r.kernel_end)
                .map_err(|e| e.to_string()),
            Format::BzImage => BzImage::load(mem, offset, file, None)
                .map(|r| r.kernel_end)
                .map_err(|e| e.to_string()),
            Format::Image => PE::load(mem, offset, file, None)
                .map(|r| r.kernel_end)
                .map_err(|e| e.to_string()),
        }
    }

    /// The raw copy of the same bytes; returns the bytes copied.
    pub fn limit(&mut self) -> Result<u64, String> {
        for seg in &self.segments {
            self.file
                .seek(SeekFrom::Start(seg.file_offset))
                .map_err(|e| e.to_string())?;
            self.mem
                .read_exact_volatile_from(seg.guest_addr, &mut self.file, seg.file_len as usize)
                .map_err(|e| e.to_string())?;
        }
        Ok(self.file_bytes())
    }

    /// The raw copy, then a raw zero-fill of the BSS bytes our load zeroes; returns the bytes
    /// written.
    pub fn limit_zeroed(&mut self) -> Result<u64, String> {
        let copied = self.limit()?;
        for &(addr, len) in &self.zero_ranges {
            let mut done = 0u64;
            while done < len {
                let n = (len - done).min(ZEROS.len() as u64) as usize;
                self.mem
                    .write_slice(&ZEROS[..n], GuestAddress(addr.0 + done))
                    .map_err(|e| e.to_string())?;
                done += n as u64;
            }
        }
        Ok(copied + self.zero_bytes)
    }

    /// Upstream linux-loader's load, or `None` when it cannot load this format on this host
    /// (see [`upstream_unsupported`]); returns `kernel_end`.
    pub fn upstream(&mut self) -> Option<Result<u64, String>> {
        upstream::load(
            self.case.format(),
            &self.mem,
            self.kernel_offset,
            &mut self.file,
        )
    }
}

impl Case<Format> {
    /// The format.
    pub fn format(&self) -> Format {
        self.kind
    }
}

/// Why upstream is "n/a" for `format` on this host, or `None` when it is measured.
pub fn upstream_unsupported(format: Format) -> Option<&'static str> {
    upstream::unsupported(format)
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
mod upstream {
    use std::fs::File;

    use upstream_linux_loader::loader::KernelLoader;
    use upstream_linux_loader::loader::bzimage::BzImage;
    use upstream_linux_loader::loader::elf::Elf;
    use vm_memory::GuestAddress;

    use super::{Format, Mem};

    pub(super) fn unsupported(format: Format) -> Option<&'static str> {
        match format {
            Format::Elf | Format::BzImage => None,
            Format::Image => Some("upstream's `pe` loader compiles only on aarch64/riscv64 hosts"),
        }
    }

    pub(super) fn load(
        format: Format,
        mem: &Mem,
        offset: Option<GuestAddress>,
        file: &mut File,
    ) -> Option<Result<u64, String>> {
        let result = match format {
            Format::Elf => Elf::load(mem, offset, file, None),
            Format::BzImage => BzImage::load(mem, offset, file, None),
            Format::Image => return None,
        };
        Some(result.map(|r| r.kernel_end).map_err(|e| e.to_string()))
    }
}

#[cfg(target_arch = "aarch64")]
mod upstream {
    use std::fs::File;

    use upstream_linux_loader::loader::KernelLoader;
    use upstream_linux_loader::loader::pe::PE;
    use vm_memory::GuestAddress;

    use super::{Format, Mem};

    pub(super) fn unsupported(format: Format) -> Option<&'static str> {
        match format {
            Format::Image => None,
            Format::Elf | Format::BzImage => {
                Some("upstream's `elf` and `bzimage` loaders compile only on x86 hosts")
            }
        }
    }

    pub(super) fn load(
        format: Format,
        mem: &Mem,
        offset: Option<GuestAddress>,
        file: &mut File,
    ) -> Option<Result<u64, String>> {
        match format {
            Format::Image => Some(
                PE::load(mem, offset, file, None)
                    .map(|r| r.kernel_end)
                    .map_err(|e| e.to_string()),
            ),
            Format::Elf | Format::BzImage => None,
        }
    }
}

#[cfg(not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")))]
mod upstream {
    use std::fs::File;

    use vm_memory::GuestAddress;

    use super::{Format, Mem};

    pub(super) fn unsupported(_: Format) -> Option<&'static str> {
        Some("upstream is measured on x86_64 and aarch64 hosts only")
    }

    pub(super) fn load(
        _: Format,
        _: &Mem,
        _: Option<GuestAddress>,
        _: &mut File,
    ) -> Option<Result<u64, String>> {
        None
    }
}
