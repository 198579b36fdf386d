// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! From a validated header and a requested load address to a load plan: still pure.

use boot_params_x86::bootparam::{KERNEL_64_ENTRY_OFFSET, setup_header};
use loader_core::{EntryPoints, GuestRange, KernelLoaderResult, LoadPlan, Segment};
use vm_memory::GuestAddress;

use crate::error::{Error, Result};
use crate::parse::BzImageInfo;

/// 4 GiB: `code32_start` is 32 bits wide, and kernels without `XLF_CAN_BE_LOADED_ABOVE_4G` must
/// stay below it.
const FOUR_GIB: u64 = 1 << 32;

/// A checked bzImage load, before anything is written.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BzImagePlan {
    /// One segment: the protected-mode kernel, file bytes only (no zero fill).
    pub plan: LoadPlan,
    /// What the load will report once executed.
    pub result: KernelLoaderResult,
    /// The setup header with `code32_start` set to the load address, as boot.rst asks of a
    /// loader and as upstream returns it.
    pub setup_header: setup_header,
    /// Where the kernel will decompress and run (see [`BzImageInfo::plan`]).
    pub runtime_start: GuestAddress,
}

impl BzImageInfo {
    /// Plans loading the protected-mode kernel at `kernel_offset`, or at the header's
    /// `code32_start` (0x100000 for every bzImage) when `None` — upstream's rule.
    ///
    /// Checks, in order:
    ///
    /// * the load address fits in `code32_start` ([`Error::LoadAddressAbove4G`]);
    /// * a non-relocatable kernel loads at `code32_start` ([`Error::NonRelocatableAddress`]);
    ///   a relocatable one loads at `code32_start` or at a multiple of `kernel_alignment`
    ///   ([`Error::MisalignedLoadAddress`]). The default address is always accepted because
    ///   boot.rst has a bzImage's protected-mode kernel "loaded at 0x100000", which is not
    ///   2 MiB aligned — the kernel realigns itself, see below;
    /// * the load address is at or above `highmem_start_address` ([`Error::BelowHighmem`]; upstream
    ///   compared `code32_start` instead, ignoring `kernel_offset`);
    /// * the kernel ends below 4 GiB unless it sets `XLF_CAN_BE_LOADED_ABOVE_4G`
    ///   ([`Error::KernelAbove4G`]), and nothing overflows ([`Error::Overflow`]).
    ///
    /// The result's `needs_free` covers the loaded kernel and `init_size` bytes from the runtime
    /// start address, where the kernel decompresses itself. boot.rst defines that address as
    /// `align_up(load, kernel_alignment)` for a relocatable kernel and `pref_address` otherwise;
    /// the decompressor (`arch/x86/boot/compressed/head_64.S`) also raises a relocatable
    /// kernel's address to `LOAD_PHYSICAL_ADDR`, which the header publishes as `pref_address`,
    /// so this uses `max(align_up(load, kernel_alignment), pref_address)`. Guest memory is not
    /// required to hold `needs_free`: it is reported, so boot structures and the initrd can be
    /// placed outside it.
    pub fn plan(
        &self,
        kernel_offset: Option<GuestAddress>,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<BzImagePlan> {
        let default_addr = u64::from(self.setup_header.code32_start);
        let addr = kernel_offset.map_or(default_addr, |a| a.0);
        let code32_start = u32::try_from(addr).map_err(|_| Error::LoadAddressAbove4G { addr })?;

        if addr != default_addr {
            match self.kernel_alignment {
                None => {
                    return Err(Error::NonRelocatableAddress {
                        addr,
                        required: default_addr,
                    });
                }
                Some(alignment) if addr.checked_rem(alignment).is_none_or(|r| r != 0) => {
                    return Err(Error::MisalignedLoadAddress { addr, alignment });
                }
                Some(_) => {}
            }
        }
        if let Some(highmem) = highmem_start_address {
            if addr < highmem.0 {
                return Err(Error::BelowHighmem {
                    addr,
                    highmem: highmem.0,
                });
            }
        }
        let end = addr.checked_add(self.kernel_len).ok_or(Error::Overflow)?;
        if end > FOUR_GIB && !self.can_load_above_4g {
            return Err(Error::KernelAbove4G { addr, end });
        }

        let runtime_start = self.runtime_start(addr)?;
        let init = GuestRange::new(GuestAddress(runtime_start), self.init_size);
        if init.end().is_none() {
            return Err(Error::Overflow);
        }
        let loaded = GuestRange::new(GuestAddress(addr), self.kernel_len);

        let mut plan = LoadPlan::new().with_highmem_start(highmem_start_address);
        plan.push(Segment {
            file_offset: self.kernel_file_offset,
            file_len: self.kernel_len,
            guest_addr: GuestAddress(addr),
            mem_len: self.kernel_len,
        })?;

        let linux_64 = if self.kernel_64 {
            Some(GuestAddress(
                addr.checked_add(KERNEL_64_ENTRY_OFFSET)
                    .ok_or(Error::Overflow)?,
            ))
        } else {
            None
        };
        let result = KernelLoaderResult {
            kernel_load: GuestAddress(addr),
            kernel_end: end,
            loaded,
            entry: EntryPoints {
                linux_64,
                linux_32: Some(GuestAddress(addr)),
                pvh: None,
                image: None,
            },
            needs_free: loaded.hull(&init),
        };
        let mut setup_header = self.setup_header;
        setup_header.code32_start = code32_start;
        Ok(BzImagePlan {
            plan,
            result,
            setup_header,
            runtime_start: GuestAddress(runtime_start),
        })
    }

    /// Where the kernel decompresses to and runs when its protected-mode code is at `addr`.
    fn runtime_start(&self, addr: u64) -> Result<u64> {
        match self.kernel_alignment {
            Some(alignment) => {
                // align_up(addr, alignment) for a power-of-two alignment.
                let mask = alignment.saturating_sub(1);
                let aligned = addr.checked_add(mask).ok_or(Error::Overflow)? & !mask;
                Ok(aligned.max(self.pref_address.unwrap_or(0)))
            }
            None => Ok(self.pref_address.unwrap_or(addr)),
        }
    }
}
