// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! VMM error handling written against upstream: matching `loader::Error` and the format errors
//! it wraps, and `configurator::Error` with its per-protocol errors.

// Test code: unwrap/expect are how VMM code reads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;

use linux_loader::bootparam::boot_params;
use linux_loader::configurator::linux::LinuxBootConfigurator;
use linux_loader::configurator::{BootConfigurator, BootParams, Error as ConfiguratorError};
use linux_loader::loader::bzimage::BzImage;
use linux_loader::loader::elf::Elf;
use linux_loader::loader::{Error as LoaderError, KernelLoader, load_cmdline};
use vm_memory::{GuestAddress, GuestMemoryMmap};

fn fixture(name: &str) -> File {
    File::open(format!(
        "{}/../../fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn mem() -> GuestMemoryMmap {
    GuestMemoryMmap::from_ranges(&[(GuestAddress(0), 32 << 20)]).unwrap()
}

/// How VMMs turn loader errors into their own (Firecracker's `StartMicrovmError`-style).
fn describe(e: &LoaderError) -> &'static str {
    use linux_loader::loader::elf::Error as ElfError;
    match e {
        LoaderError::Elf(ElfError::InvalidElfMagicNumber) => "not an ELF file",
        LoaderError::Elf(ElfError::BigEndianElfOnLittle) => "big-endian kernel",
        LoaderError::Elf(_) => "bad ELF kernel",
        LoaderError::Bzimage(_) => "bad bzImage",
        LoaderError::Pe(_) => "bad Image",
        LoaderError::InvalidKernelStartAddress => "kernel below high memory",
        LoaderError::CommandLineOverflow => "command line does not fit",
        LoaderError::InvalidCommandLine | LoaderError::CommandLineCopy => "command line",
        LoaderError::MemoryOverflow => "kernel does not fit",
    }
}

#[test]
fn elf_errors() {
    let m = mem();
    let e = Elf::load(&m, None, &mut fixture("elf/bad-magic.elf"), None).unwrap_err();
    assert_eq!(describe(&e), "not an ELF file");
    let e = Elf::load(&m, None, &mut fixture("elf/big-endian.elf"), None).unwrap_err();
    assert_eq!(describe(&e), "big-endian kernel");
    assert!(!e.to_string().is_empty());
}

#[test]
fn bzimage_errors() {
    let m = mem();
    // Upstream said `InvalidBzImage` for every bad header; ours names the field. VMMs matching
    // `Bzimage(_)` see no change; `is_invalid_bzimage` answers upstream's question.
    match BzImage::load(
        &m,
        None,
        &mut fixture("bzimage/bad-boot-flag.bzImage"),
        None,
    ) {
        Err(LoaderError::Bzimage(e)) => assert!(e.is_invalid_bzimage(), "{e}"),
        other => panic!("expected a bzImage error, got {other:?}"),
    }
    // A load address below high memory: upstream's InvalidKernelStartAddress.
    let e = BzImage::load(
        &m,
        None,
        &mut fixture("bzimage/minimal-64.bzImage"),
        Some(GuestAddress(0x20_0000)),
    )
    .unwrap_err();
    assert_eq!(e, LoaderError::InvalidKernelStartAddress);
}

#[test]
fn cmdline_and_configurator_errors() {
    let m = mem();
    let e = load_cmdline(&m, GuestAddress((32 << 20) - 2), c"console=ttyS0").unwrap_err();
    assert_eq!(describe(&e), "command line does not fit");

    let params = boot_params::default();
    let bp = BootParams::new(&params, GuestAddress((32 << 20) - 0x800));
    match LinuxBootConfigurator::write_bootparams(&bp, &m) {
        Err(ConfiguratorError::Linux(
            linux_loader::configurator::linux::Error::ZeroPagePastRamEnd,
        )) => {}
        other => panic!("expected ZeroPagePastRamEnd, got {other:?}"),
    }
}
