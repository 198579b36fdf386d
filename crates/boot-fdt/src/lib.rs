// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Device-tree boot support for arm64 and riscv64 guests: validate a DTB, patch what a boot
//! loader owns (`/chosen`, `/memory`), place the DTB and initrd, and write the DTB into guest
//! memory through the one FDT writer, [`FdtBootConfigurator`].
//!
//! ```
//! use boot_fdt::{EntryState, Fdt, FdtBootConfigurator, LayoutRequest, plan_layout};
//! use loader_core::GuestRange;
//! use loader_core::configurator::{BootConfigurator, BootParams};
//! use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
//!
//! // A DTB as a VMM might have it (from QEMU's dumpdtb, vm-fdt, or a file).
//! let mut tree = Fdt::new();
//! tree.root.set_property("#address-cells", 2u32.to_be_bytes());
//! tree.root.set_property("#size-cells", 2u32.to_be_bytes());
//! let dtb = tree.to_bytes().unwrap();
//!
//! // Parse (validating every offset), patch /chosen and /memory, serialize.
//! let ram = GuestRange::new(GuestAddress(0x4000_0000), 0x800_0000);
//! let mut fdt = Fdt::parse(&dtb).unwrap();
//! fdt.set_memory(&[ram]).unwrap();
//! let kernel = GuestRange::new(GuestAddress(0x4020_0000), 0x1ab_0000); // needs_free
//! let layout = plan_layout(&LayoutRequest {
//!     ram: &[ram],
//!     kernel,
//!     initrd_size: Some(0x40_0000),
//!     dtb_size: boot_fdt::limits::MAX_DTB_SIZE as u64,
//!     reserved: &[],
//! })
//! .unwrap();
//! let mut chosen = fdt.chosen_mut();
//! chosen.set_bootargs("console=ttyAMA0 earlycon").unwrap();
//! chosen.set_initrd_range(layout.initrd.unwrap()).unwrap();
//! chosen.set_rng_seed(&[0x5a; 32]);
//! let patched = fdt.to_bytes().unwrap();
//!
//! // Write it: checked against the end of RAM first, validated, then copied.
//! let mem = GuestMemoryMmap::<()>::from_ranges(&[(ram.start, ram.len as usize)]).unwrap();
//! let params = BootParams { header: patched.clone(), ..BootParams::new(&0u8, layout.dtb.start) };
//! FdtBootConfigurator::write_validated(&params, &mem).unwrap();
//! let mut back = vec![0u8; patched.len()];
//! mem.read_slice(&mut back, layout.dtb.start).unwrap();
//! assert_eq!(Fdt::parse(&back).unwrap().chosen().unwrap().property_str("bootargs"),
//!            Some("console=ttyAMA0 earlycon"));
//!
//! // The vCPU state the kernel expects, as data.
//! let entry = EntryState::arm64(kernel.start, layout.dtb.start);
//! assert_eq!(entry, EntryState::Arm64 { pc: 0x4020_0000, x0: layout.dtb.start.0 });
//! ```
//!
//! The parser and serializer are this crate's own, small and bounded by the [`limits`]: every
//! offset and length in a blob is checked, nesting, node and property counts are capped, and a
//! parsed blob re-serializes with its strings block reused so untouched nodes keep their exact
//! bytes (padding is written as zeroes, as the specification asks). Placement follows the policy
//! documented in [`layout`].

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::as_conversions,
        clippy::panic
    )
)]

mod chosen;
mod configurator;
mod error;
mod fdt;
pub mod header;
pub mod layout;
pub mod limits;

pub use chosen::{
    Chosen, PROP_BOOTARGS, PROP_INITRD_END, PROP_INITRD_START, PROP_RNG_SEED, PROP_STDOUT_PATH,
};
pub use configurator::FdtBootConfigurator;
pub use error::{Error, Result};
pub use fdt::{DtbInfo, Fdt, Node, Property, ReserveEntry, validate};
pub use layout::{
    DTB_ALIGN, EntryState, FdtLayout, INITRD_ALIGN, LayoutRequest, OPENSBI_FW_JUMP_FDT_ADDR,
    opensbi_fw_jump_reserved, plan_layout,
};
