// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The flow linux-loader's README walks a VMM through — load an ELF kernel from a `File`, load
//! the command line, write the zero page — written the way a VMM built on upstream writes it:
//! a small VMM struct, imports from `linux_loader::...` only, turbofish calls as in the README.

// Test code: unwrap/expect and literal arithmetic are how VMM examples read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

use std::ffi::CString;
use std::fs::File;

use linux_loader::cmdline::Cmdline;
use linux_loader::configurator::linux::LinuxBootConfigurator;
use linux_loader::configurator::{BootConfigurator, BootParams};
use linux_loader::loader::bootparam::boot_params;
use linux_loader::loader::elf::Elf as Loader;
use linux_loader::loader::{KernelLoader, KernelLoaderResult};
use vm_memory::{Address, Bytes, GuestAddress, GuestMemoryBackend, GuestMemoryMmap};

const MEM_SIZE: usize = 64 << 20;
const KERNEL_BOOT_FLAG_MAGIC: u16 = 0xaa55;
const KERNEL_HDR_MAGIC: u32 = 0x5372_6448; // "HdrS"
const KERNEL_LOADER_OTHER: u8 = 0xff;
const KERNEL_MIN_ALIGNMENT_BYTES: u32 = 0x0100_0000;
const E820_RAM: u32 = 1;

fn fixture(name: &str) -> String {
    format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

struct MyVmm {
    guest_memory: GuestMemoryMmap,
    kernel_cmdline: Cmdline,
}

impl MyVmm {
    fn new() -> Self {
        let mut kernel_cmdline = Cmdline::new(4096).unwrap();
        kernel_cmdline
            .insert_str("console=ttyS0 reboot=k panic=1 pci=off")
            .unwrap();
        MyVmm {
            guest_memory: GuestMemoryMmap::from_ranges(&[(GuestAddress(0), MEM_SIZE)]).unwrap(),
            kernel_cmdline,
        }
    }

    fn kernel_start_addr(&self) -> GuestAddress {
        GuestAddress(0)
    }

    fn himem_start_addr(&self) -> GuestAddress {
        GuestAddress(0x10_0000)
    }

    fn cmdline_start_addr(&self) -> GuestAddress {
        GuestAddress(0x2_0000)
    }

    fn zeropage_addr(&self) -> GuestAddress {
        GuestAddress(0x7000)
    }

    fn configure_bootparams(&self, params: &mut boot_params) {
        params.hdr.type_of_loader = KERNEL_LOADER_OTHER;
        params.hdr.boot_flag = KERNEL_BOOT_FLAG_MAGIC;
        params.hdr.header = KERNEL_HDR_MAGIC;
        params.hdr.cmd_line_ptr = self.cmdline_start_addr().raw_value() as u32;
        params.hdr.cmdline_size = self.kernel_cmdline.as_cstring().unwrap().as_bytes().len() as u32;
        params.hdr.kernel_alignment = KERNEL_MIN_ALIGNMENT_BYTES;
        // One e820 entry for low memory, one for the rest, as simple VMMs do.
        let last = self.guest_memory.last_addr().raw_value();
        let entries = [
            (0, 0x9_fc00),
            (self.himem_start_addr().raw_value(), last + 1 - 0x10_0000),
        ];
        for (i, (addr, size)) in entries.into_iter().enumerate() {
            params.e820_table[i].addr = addr;
            params.e820_table[i].size = size;
            params.e820_table[i].type_ = E820_RAM;
        }
        params.e820_entries = entries.len() as u8;
    }

    fn start_vm(&mut self) -> KernelLoaderResult {
        let guest_memory = &self.guest_memory;
        let mut kernel_file = File::open(fixture("elf/x86_64-linux.elf")).unwrap();

        let load_result = Loader::load::<File, GuestMemoryMmap>(
            guest_memory,
            Some(self.kernel_start_addr()),
            &mut kernel_file,
            Some(self.himem_start_addr()),
        )
        .expect("Failed to load kernel");

        let kernel_cmdline = self.kernel_cmdline.as_cstring().unwrap();
        linux_loader::loader::load_cmdline::<GuestMemoryMmap>(
            guest_memory,
            self.cmdline_start_addr(),
            &CString::new(kernel_cmdline.as_bytes()).expect("Failed to parse cmdline"),
        )
        .expect("Failed to load cmdline");

        let mut params = boot_params::default();
        self.configure_bootparams(&mut params);
        LinuxBootConfigurator::write_bootparams::<GuestMemoryMmap>(
            &BootParams::new(&params, self.zeropage_addr()),
            guest_memory,
        )
        .expect("Failed to write boot params in guest memory");
        load_result
    }
}

#[test]
fn readme_flow_loads_kernel_cmdline_and_zero_page() {
    let mut vmm = MyVmm::new();
    let result = vmm.start_vm();

    // The fixture's facts (fixtures/README.md): entry 0x200010, segments end at 0x202000.
    assert_eq!(result.kernel_load, GuestAddress(0x20_0010));
    assert_eq!(result.kernel_end, 0x20_2000);
    assert_eq!(result.setup_header, None);

    let mem = &vmm.guest_memory;
    let mut cmdline = vec![0u8; 40];
    mem.read_slice(&mut cmdline, vmm.cmdline_start_addr())
        .unwrap();
    assert_eq!(&cmdline, b"console=ttyS0 reboot=k panic=1 pci=off\0\0");

    let zero_page: boot_params = mem.read_obj(vmm.zeropage_addr()).unwrap();
    assert_eq!({ zero_page.hdr.boot_flag }, KERNEL_BOOT_FLAG_MAGIC);
    assert_eq!({ zero_page.hdr.header }, KERNEL_HDR_MAGIC);
    assert_eq!({ zero_page.hdr.type_of_loader }, KERNEL_LOADER_OTHER);
    assert_eq!({ zero_page.hdr.cmd_line_ptr }, 0x2_0000);
    assert_eq!({ zero_page.e820_entries }, 2);
    assert_eq!(
        { zero_page.e820_table[1].size },
        (MEM_SIZE as u64) - 0x10_0000
    );
}

#[test]
fn load_cmdline_takes_a_cmdline_as_upstream_0_13_and_0_14_do() {
    let vmm = MyVmm::new();
    // Upstream's real signature: `load_cmdline::<M>(&M, GuestAddress, &Cmdline)`.
    linux_loader::loader::load_cmdline::<GuestMemoryMmap>(
        &vmm.guest_memory,
        GuestAddress(0x3_0000),
        &vmm.kernel_cmdline,
    )
    .unwrap();
    linux_loader::loader::load_cmdline(
        &vmm.guest_memory,
        GuestAddress(0x3_1000),
        &vmm.kernel_cmdline,
    )
    .unwrap();
    let mut a = [0u8; 40];
    let mut b = [0u8; 40];
    vmm.guest_memory
        .read_slice(&mut a, GuestAddress(0x3_0000))
        .unwrap();
    vmm.guest_memory
        .read_slice(&mut b, GuestAddress(0x3_1000))
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(&a[..39], b"console=ttyS0 reboot=k panic=1 pci=off\0");
}
