// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Kernel loaders: upstream's `linux_loader::loader`.

use std::io::{Read, Seek};

use vm_memory::{GuestAddress, GuestMemoryBackend, GuestUsize, ReadVolatile};

pub use crate::bootparam;
pub use crate::cmdline::Cmdline;
pub use loader_core::{EntryPoints, GuestRange};

#[cfg(feature = "bzimage")]
pub mod bzimage;
#[cfg(feature = "elf")]
pub mod elf;
#[cfg(feature = "pe")]
pub mod pe;

#[cfg(feature = "bzimage")]
pub use bzimage::BzImage;
#[cfg(feature = "elf")]
pub use elf::{Elf, PvhBootCapability, start_info};
#[cfg(feature = "pe")]
pub use pe::{PE, arm64_image_header, load_dtb, riscv64_image_header};

/// Why loading a kernel or a command line failed.
///
/// Variant names are upstream's; format errors are wrapped as upstream wraps them (every format's
/// variant exists on every host when its feature is on).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Loading a bzImage failed.
    #[cfg(feature = "bzimage")]
    #[error("kernel loader: failed to load bzImage kernel image: {0}")]
    Bzimage(#[from] bzimage::Error),
    /// Loading an ELF vmlinux failed.
    #[cfg(feature = "elf")]
    #[error("kernel loader: failed to load ELF kernel image: {0}")]
    Elf(#[from] elf::Error),
    /// Loading an arm64/riscv64 Image (or its DTB) failed.
    #[cfg(feature = "pe")]
    #[error("kernel loader: failed to load PE kernel image: {0}")]
    Pe(#[from] pe::Error),
    /// The command line is not valid.
    #[error("kernel loader: invalid command line")]
    InvalidCommandLine,
    /// Writing the command line to guest memory failed.
    #[error("kernel loader: failed writing command line to guest memory")]
    CommandLineCopy,
    /// The command line does not fit in guest memory at the address given.
    #[error("kernel loader: command line overflowed guest memory")]
    CommandLineOverflow,
    /// The kernel start address is not valid.
    #[error("kernel loader: invalid kernel start address")]
    InvalidKernelStartAddress,
    /// Guest memory is too small for the kernel.
    #[error("kernel loader: memory to load kernel image is not enough")]
    MemoryOverflow,
}

/// Result alias, as upstream names it.
pub type Result<T> = std::result::Result<T, Error>;

/// What a kernel load did: upstream's fields plus the workspace's richer report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KernelLoaderResult {
    /// Where the kernel was loaded (for a vmlinux: its entry point, as upstream reports it).
    pub kernel_load: GuestAddress,
    /// One past the last byte the kernel occupies, BSS included.
    pub kernel_end: GuestUsize,
    /// The bzImage's setup header, `code32_start` set to the load address (x86 bzImage only).
    pub setup_header: Option<bootparam::setup_header>,
    /// Whether a vmlinux can be entered through PVH, and where.
    #[cfg(feature = "elf")]
    pub pvh_boot_cap: elf::PvhBootCapability,
    /// The guest memory the load wrote.
    pub loaded: GuestRange,
    /// Entry points per boot protocol.
    pub entry: EntryPoints,
    /// Guest memory the kernel needs left free (boot structures and initrd go elsewhere).
    pub needs_free: GuestRange,
}

impl From<loader_core::KernelLoaderResult> for KernelLoaderResult {
    fn from(r: loader_core::KernelLoaderResult) -> Self {
        Self {
            kernel_load: r.kernel_load,
            kernel_end: r.kernel_end,
            loaded: r.loaded,
            entry: r.entry,
            needs_free: r.needs_free,
            ..Default::default()
        }
    }
}

/// A kernel image format: upstream's trait, with upstream's signature.
pub trait KernelLoader {
    /// Loads `kernel_image` into `guest_mem`; see each format for how `kernel_offset` and
    /// `highmem_start_address` apply. On error guest memory is left as it was.
    fn load<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<KernelLoaderResult>
    where
        F: Read + ReadVolatile + Seek;
}

/// Writes a NUL-terminated command line into guest memory at `guest_addr`.
///
/// Takes a [`Cmdline`] as upstream does, or a `CStr`/`CString`. Nothing is written unless the
/// whole line (NUL included) fits; a line ending exactly on the last byte of RAM fits.
///
/// `M` is the only named generic parameter, as upstream's, so `load_cmdline::<GuestMemoryMmap>(..)`
/// (the form upstream's README uses) compiles.
pub fn load_cmdline<M: GuestMemoryBackend>(
    guest_mem: &M,
    guest_addr: GuestAddress,
    cmdline: &(impl kernel_cmdline::CmdlineBytes + ?Sized),
) -> Result<()> {
    kernel_cmdline::load_cmdline(guest_mem, guest_addr, cmdline).map_err(|e| match e {
        kernel_cmdline::LoadError::InvalidCommandLine(_) => Error::InvalidCommandLine,
        kernel_cmdline::LoadError::CommandLineOverflow { .. } => Error::CommandLineOverflow,
        _ => Error::CommandLineCopy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vm_memory::{Bytes, GuestMemoryMmap};

    const MEM: u64 = 0x1_0000;

    fn mem() -> GuestMemoryMmap {
        let m = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), MEM as usize)]).unwrap();
        m.write_slice(&vec![0xa5; MEM as usize], GuestAddress(0))
            .unwrap();
        m
    }

    #[test]
    fn load_cmdline_maps_errors_to_upstream_variants() {
        let m = mem();
        let mut cl = Cmdline::new(10).unwrap();
        cl.insert_str("12345").unwrap();
        // 6 bytes with the NUL: the last byte of RAM is the NUL (upstream accepts this too).
        load_cmdline(&m, GuestAddress(MEM - 6), &cl).unwrap();
        assert!(matches!(
            load_cmdline(&m, GuestAddress(MEM - 5), &cl),
            Err(Error::CommandLineOverflow)
        ));
        assert!(matches!(
            load_cmdline(&m, GuestAddress(u64::MAX - 2), &cl),
            Err(Error::CommandLineOverflow)
        ));
        assert!(matches!(
            load_cmdline(&m, GuestAddress(0x100), c"bad\x01line"),
            Err(Error::InvalidCommandLine)
        ));
        // Nothing was written by the rejected calls.
        let mut buf = [0u8; 16];
        m.read_slice(&mut buf, GuestAddress(0x100)).unwrap();
        assert_eq!(buf, [0xa5; 16]);
    }

    #[test]
    fn load_cmdline_takes_upstreams_single_turbofish() {
        let m = mem();
        let mut cl = Cmdline::new(16).unwrap();
        cl.insert_str("quiet").unwrap();
        load_cmdline::<GuestMemoryMmap>(&m, GuestAddress(0x400), &cl).unwrap();
        load_cmdline::<GuestMemoryMmap>(&m, GuestAddress(0x500), c"ro").unwrap();
        let mut buf = [0u8; 6];
        m.read_slice(&mut buf, GuestAddress(0x400)).unwrap();
        assert_eq!(&buf, b"quiet\0");
        let mut buf = [0u8; 3];
        m.read_slice(&mut buf, GuestAddress(0x500)).unwrap();
        assert_eq!(&buf, b"ro\0");
    }

    #[test]
    fn load_cmdline_takes_cstr_and_cstring() {
        let m = mem();
        load_cmdline(&m, GuestAddress(0x200), c"console=ttyS0").unwrap();
        load_cmdline(
            &m,
            GuestAddress(0x300),
            &std::ffi::CString::new("quiet").unwrap(),
        )
        .unwrap();
        let mut buf = [0u8; 6];
        m.read_slice(&mut buf, GuestAddress(0x300)).unwrap();
        assert_eq!(&buf, b"quiet\0");
    }
}
