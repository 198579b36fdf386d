// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Where the initrd and the DTB go, and the vCPU state the kernel expects — computed as data,
//! written by nobody here.
//!
//! # Placement policy
//!
//! Given the RAM regions, the range the kernel needs left alone (its
//! [`KernelLoaderResult::needs_free`](loader_core::KernelLoaderResult): load address to
//! `image_size`, BSS included) and ranges the caller reserves:
//!
//! 1. The **initrd** goes at the first [`INITRD_ALIGN`] (4 KiB) aligned address at or after the
//!    end of the kernel's `needs_free` range that has room for it, searching upwards through the
//!    RAM regions and skipping reserved ranges.
//! 2. The **DTB** goes at the first [`DTB_ALIGN`] (2 MiB) aligned address at or after the end of
//!    the initrd (or the kernel, without one) found the same way. booting.rst asks only for
//!    8-byte alignment, but the kernel maps the DTB with 2 MiB blocks and a DTB is at most
//!    2 MiB, so a 2 MiB-aligned DTB sits alone in one block and never shares it with memory of
//!    other attributes.
//! 3. Nothing is placed below the kernel: memory below an arm64 Image is unusable to pre-4.6
//!    kernels, and keeping boot data above the kernel keeps the kernel as low as the VMM put it.
//!
//! The result never overlaps the kernel's `needs_free` range, the reserved ranges, or each other,
//! and lies entirely inside one RAM region each. On riscv64 with OpenSBI's `fw_jump` firmware,
//! which copies the DTB to [`OPENSBI_FW_JUMP_FDT_ADDR`] before entering the kernel, pass
//! [`opensbi_fw_jump_reserved`] in `reserved` so neither the initrd nor our DTB lands where
//! OpenSBI writes.

use loader_core::GuestRange;
use vm_memory::GuestAddress;

use crate::error::{Error, Result};
use crate::limits::MAX_DTB_SIZE;

/// Alignment of the initrd: one 4 KiB page.
pub const INITRD_ALIGN: u64 = 0x1000;
/// Alignment of the DTB chosen by the policy: 2 MiB (the arm64 requirement is 8 bytes).
pub const DTB_ALIGN: u64 = 0x20_0000;
/// Where OpenSBI's `fw_jump` firmware (riscv64 `virt`, RAM at 0x8000_0000) relocates the DTB:
/// `FW_JUMP_FDT_ADDR` = RAM start + 0x220_0000.
pub const OPENSBI_FW_JUMP_FDT_ADDR: u64 = 0x8220_0000;

/// The range OpenSBI `fw_jump` overwrites with its DTB copy ([`MAX_DTB_SIZE`] bytes at
/// [`OPENSBI_FW_JUMP_FDT_ADDR`]); pass it in [`LayoutRequest::reserved`] on such machines.
pub fn opensbi_fw_jump_reserved() -> GuestRange {
    GuestRange::new(
        GuestAddress(OPENSBI_FW_JUMP_FDT_ADDR),
        u64::try_from(MAX_DTB_SIZE).unwrap_or(u64::MAX),
    )
}

/// What [`plan_layout`] needs to know.
#[derive(Clone, Copy, Debug)]
pub struct LayoutRequest<'a> {
    /// RAM regions (any order; they may be discontiguous).
    pub ram: &'a [GuestRange],
    /// The kernel's `needs_free` range.
    pub kernel: GuestRange,
    /// Size of the initrd, if there is one.
    pub initrd_size: Option<u64>,
    /// Size of the DTB (at most [`MAX_DTB_SIZE`]).
    pub dtb_size: u64,
    /// Ranges nothing may be placed in (firmware, OpenSBI's DTB copy, VMM structures).
    pub reserved: &'a [GuestRange],
}

/// Where the initrd and the DTB go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FdtLayout {
    /// The DTB's range (its start is what the kernel gets in `x0` / `a1`).
    pub dtb: GuestRange,
    /// The initrd's range, when an initrd was asked for.
    pub initrd: Option<GuestRange>,
}

/// The boot CPU's register state at kernel entry, as data for the VMM to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryState {
    /// arm64 (`booting.rst`): `pc` = the Image's first byte, `x0` = DTB address, `x1`-`x3` = 0,
    /// MMU off, EL2 or EL1.
    Arm64 {
        /// Program counter.
        pc: u64,
        /// Physical address of the DTB.
        x0: u64,
    },
    /// riscv64 (SBI boot): `pc` = the Image's first byte, `a0` = hart id, `a1` = DTB address,
    /// S-mode, MMU off.
    Riscv64 {
        /// Program counter.
        pc: u64,
        /// Hart id of the booting hart.
        a0: u64,
        /// Physical address of the DTB.
        a1: u64,
    },
}

impl EntryState {
    /// arm64 entry: jump to `entry` with `x0` = `dtb`.
    pub fn arm64(entry: GuestAddress, dtb: GuestAddress) -> Self {
        EntryState::Arm64 {
            pc: entry.0,
            x0: dtb.0,
        }
    }

    /// riscv64 entry: jump to `entry` with `a0` = `hart_id`, `a1` = `dtb`.
    pub fn riscv64(entry: GuestAddress, hart_id: u64, dtb: GuestAddress) -> Self {
        EntryState::Riscv64 {
            pc: entry.0,
            a0: hart_id,
            a1: dtb.0,
        }
    }
}

fn align_up(v: u64, align: u64) -> Option<u64> {
    let mask = align.checked_sub(1)?;
    v.checked_add(mask).map(|x| x & !mask)
}

/// The first `align`-aligned address at or after `from` where `size` bytes fit inside one RAM
/// region without touching any of `avoid`.
fn first_fit(
    ram: &[GuestRange],
    avoid: &[GuestRange],
    from: u64,
    size: u64,
    align: u64,
) -> Option<GuestRange> {
    let mut regions: Vec<GuestRange> = ram.to_vec();
    regions.sort_by_key(|r| r.start);
    for region in regions {
        let Some(region_end) = region.end() else {
            continue;
        };
        let mut cand = align_up(from.max(region.start.0), align)?;
        // Each bump moves past the end of one avoided range, never back: at most one bump per
        // avoided range.
        for _ in 0..=avoid.len() {
            let range = GuestRange::new(GuestAddress(cand), size);
            let Some(end) = range.end() else {
                break;
            };
            if end > region_end {
                break;
            }
            match avoid
                .iter()
                .find(|a| a.overlaps(&range) || (size == 0 && a.contains_range(&range)))
            {
                None => return Some(range),
                Some(a) => match a.end().and_then(|e| align_up(e.0, align)) {
                    Some(next) => cand = next,
                    None => break,
                },
            }
        }
    }
    None
}

/// Places the initrd and the DTB after the kernel, by the policy in the
/// [module docs](self).
pub fn plan_layout(req: &LayoutRequest<'_>) -> Result<FdtLayout> {
    let max = u64::try_from(MAX_DTB_SIZE).unwrap_or(u64::MAX);
    if req.dtb_size > max {
        return Err(Error::TooLarge {
            size: req.dtb_size,
            max,
        });
    }
    let kernel_end = req.kernel.end().ok_or(Error::KernelOutsideRam {
        start: req.kernel.start.0,
        end: req.kernel.end_or_max(),
    })?;
    if !req.ram.iter().any(|r| r.contains_range(&req.kernel)) {
        return Err(Error::KernelOutsideRam {
            start: req.kernel.start.0,
            end: kernel_end.0,
        });
    }
    let mut avoid: Vec<GuestRange> = Vec::with_capacity(req.reserved.len().saturating_add(2));
    avoid.push(req.kernel);
    avoid.extend_from_slice(req.reserved);

    let mut cursor = kernel_end.0;
    let initrd = match req.initrd_size {
        Some(size) => {
            let r = first_fit(req.ram, &avoid, cursor, size, INITRD_ALIGN)
                .ok_or(Error::NoRoomForInitrd { size })?;
            avoid.push(r);
            cursor = r.end_or_max();
            Some(r)
        }
        None => None,
    };
    let dtb = first_fit(req.ram, &avoid, cursor, req.dtb_size, DTB_ALIGN)
        .ok_or(Error::NoRoomForDtb { size: req.dtb_size })?;
    Ok(FdtLayout { dtb, initrd })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: u64, len: u64) -> GuestRange {
        GuestRange::new(GuestAddress(start), len)
    }

    #[test]
    fn initrd_after_kernel_then_dtb_on_2mib() {
        let ram = [r(0x4000_0000, 0x1000_0000)];
        let layout = plan_layout(&LayoutRequest {
            ram: &ram,
            kernel: r(0x4020_0000, 0x1ab_0000),
            initrd_size: Some(0x12_3456),
            dtb_size: 0x10_0000,
            reserved: &[],
        })
        .unwrap();
        let initrd = layout.initrd.unwrap();
        assert_eq!(initrd.start.0, 0x41cb_0000);
        assert_eq!(layout.dtb.start.0, 0x41e0_0000);
        assert!(!layout.dtb.overlaps(&initrd));
    }

    #[test]
    fn skips_reserved_and_moves_to_next_region() {
        let ram = [r(0x8000_0000, 0x240_0000), r(0x9000_0000, 0x100_0000)];
        let layout = plan_layout(&LayoutRequest {
            ram: &ram,
            kernel: r(0x8020_0000, 0x1f0_0000),
            initrd_size: Some(0x1000),
            dtb_size: 0x1000,
            reserved: &[opensbi_fw_jump_reserved()],
        })
        .unwrap();
        // Initrd fits before 0x8220_0000; the DTB (2 MiB aligned) would land on the reserved
        // range, and past it the first region is full.
        assert_eq!(layout.initrd.unwrap().start.0, 0x8210_0000);
        assert_eq!(layout.dtb.start.0, 0x9000_0000);
    }

    #[test]
    fn errors() {
        let ram = [r(0x4000_0000, 0x40_0000)];
        let req = LayoutRequest {
            ram: &ram,
            kernel: r(0x4020_0000, 0x10_0000),
            initrd_size: Some(0x20_0000),
            dtb_size: 0x100,
            reserved: &[],
        };
        assert_eq!(
            plan_layout(&req),
            Err(Error::NoRoomForInitrd { size: 0x20_0000 })
        );
        let req = LayoutRequest {
            initrd_size: None,
            ..req
        };
        assert_eq!(plan_layout(&req), Err(Error::NoRoomForDtb { size: 0x100 }));
        let req = LayoutRequest {
            kernel: r(0x4030_0000, 0x20_0000),
            ..req
        };
        assert_eq!(
            plan_layout(&req),
            Err(Error::KernelOutsideRam {
                start: 0x4030_0000,
                end: 0x4050_0000
            })
        );
        let req = LayoutRequest {
            dtb_size: 0x20_0001,
            ..req
        };
        assert_eq!(
            plan_layout(&req),
            Err(Error::TooLarge {
                size: 0x20_0001,
                max: 0x20_0000
            })
        );
    }
}
