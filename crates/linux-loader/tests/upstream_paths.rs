// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Code written the way VMMs use rust-vmm linux-loader 0.13 / 0.14 must compile unchanged against
//! the umbrella. This file names the paths that exist so far and uses them as upstream's users do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use linux_loader::cmdline::Cmdline;
use linux_loader::configurator::{BootConfigurator, BootParams};
use linux_loader::loader::{KernelLoader, KernelLoaderResult, load_cmdline};
use vm_memory::{ByteValued, GuestAddress, GuestMemoryBackend, GuestMemoryMmap};

#[derive(Clone, Copy, Default)]
#[repr(C)]
struct Header {
    magic: u64,
}
// SAFETY: test-only POD: repr(C), one u64 field, no padding, every bit pattern valid.
#[allow(unsafe_code)]
unsafe impl ByteValued for Header {}

/// A configurator written against upstream's trait, as a VMM might for its own protocol.
struct WholeRamCheck;

impl BootConfigurator for WholeRamCheck {
    fn write_bootparams<M>(
        params: &BootParams,
        guest_memory: &M,
    ) -> linux_loader::configurator::Result<()>
    where
        M: GuestMemoryBackend,
    {
        if guest_memory.address_in_range(params.header_start) {
            Ok(())
        } else {
            Err(linux_loader::configurator::Error::MissingStartAddress)
        }
    }
}

/// A loader written against upstream's trait.
struct Nothing;

impl KernelLoader for Nothing {
    fn load<F, M: GuestMemoryBackend>(
        _guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        _kernel_image: &mut F,
        _highmem_start_address: Option<GuestAddress>,
    ) -> linux_loader::loader::Result<KernelLoaderResult>
    where
        F: std::io::Read + vm_memory::ReadVolatile + std::io::Seek,
    {
        Ok(KernelLoaderResult {
            kernel_load: kernel_offset
                .ok_or(linux_loader::loader::Error::InvalidKernelStartAddress)?,
            ..Default::default()
        })
    }
}

#[test]
fn upstream_style_usage_compiles_and_runs() {
    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x10_0000)]).unwrap();

    let mut cmdline = Cmdline::new(4096).unwrap();
    cmdline.insert("console", "ttyS0").unwrap();
    cmdline.insert_multiple("foo", &["bar", "baz"]).unwrap();
    cmdline.insert_str("reboot=k panic=1").unwrap();
    load_cmdline(&mem, GuestAddress(0x2_0000), &cmdline).unwrap();
    let bytes: Vec<u8> = Vec::try_from(cmdline).unwrap();
    assert_eq!(bytes, b"console=ttyS0 foo=bar,baz reboot=k panic=1\0");

    let mut params = BootParams::new(&Header { magic: 7 }, GuestAddress(0x7000));
    params
        .add_section(&Header::default(), Some(GuestAddress(0x9000)))
        .unwrap();
    params.set_modules(&[Header::default()], GuestAddress(0xa000));
    WholeRamCheck::write_bootparams(&params, &mem).unwrap();

    let mut image = std::io::Cursor::new(Vec::<u8>::new());
    let r = Nothing::load(&mem, Some(GuestAddress(0x20_0000)), &mut image, None).unwrap();
    assert_eq!(r.kernel_load, GuestAddress(0x20_0000));
    assert!(matches!(
        Nothing::load(&mem, None, &mut image, None),
        Err(linux_loader::loader::Error::InvalidKernelStartAddress)
    ));
}
