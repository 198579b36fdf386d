// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Boot-structure configurators: the `BootConfigurator` trait and the `BootParams` a VMM fills.
//!
//! Upstream linux-loader's `configurator` module, arch-neutral: the x86 (`boot-params-x86`) and
//! FDT (`boot-fdt`) crates implement [`BootConfigurator`]. The per-protocol error enums live here
//! (not in those crates) so that [`Error`] keeps upstream's shape — `Error::Linux(linux::Error)`,
//! `Error::Pvh(pvh::Error)`, `Error::Fdt(fdt::Error)` — on every host, without loader-core
//! depending on the crates that depend on it.

use vm_memory::{ByteValued, GuestAddress, GuestMemoryBackend};

use crate::limits::MAX_BOOT_PARAMS_LIST;

/// Errors of the Linux (zero page) boot configurator.
pub mod linux {
    /// Why writing the zero page failed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
    pub enum Error {
        /// The zero page does not fit in guest memory.
        #[error("the zero page extends past the end of guest memory")]
        ZeroPagePastRamEnd,
        /// Guest memory refused the write.
        #[error("writing the zero page to guest memory failed")]
        ZeroPageSetup,
        /// `sections` were given for the zero page, which has none.
        #[error("the Linux boot protocol takes no sections beside the zero page")]
        UnexpectedSections,
        /// `modules` were given for the zero page, which has none.
        #[error("the Linux boot protocol takes no modules beside the zero page")]
        UnexpectedModules,
        /// The header is not a 4096-byte `boot_params`.
        #[error("the zero page must be a 4096-byte boot_params")]
        ZeroPageSize,
        /// `e820_entries` says more than the zero page's 128 slots.
        #[error("the zero page's e820_entries exceeds its 128-entry table")]
        E820TooMany,
    }
}

/// Errors of the PVH (`hvm_start_info`) boot configurator.
pub mod pvh {
    /// Why writing the PVH structures failed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
    pub enum Error {
        /// The memory map has no guest address.
        #[error("the memory map was given without its guest address")]
        MemmapTableAddressMissing,
        /// No memory map was given; PVH guests need one.
        #[error("no memory map was given; a PVH guest needs one")]
        MemmapTableMissing,
        /// The memory map does not fit in guest memory.
        #[error("the memory map extends past the end of guest memory")]
        MemmapTablePastRamEnd,
        /// Guest memory refused the memory-map write.
        #[error("writing the memory map to guest memory failed")]
        MemmapTableSetup,
        /// `hvm_start_info` does not fit in guest memory.
        #[error("hvm_start_info extends past the end of guest memory")]
        StartInfoPastRamEnd,
        /// Guest memory refused the `hvm_start_info` write.
        #[error("writing hvm_start_info to guest memory failed")]
        StartInfoSetup,
        /// The module list has no guest address.
        #[error("the module list was given without its guest address")]
        ModulesAddressMissing,
        /// Guest memory refused the module-list write.
        #[error("writing the module list to guest memory failed")]
        ModulesSetup,
        /// The module list does not fit in guest memory.
        #[error("the module list extends past the end of guest memory")]
        ModulesPastRamEnd,
        /// The header is not a 56-byte `hvm_start_info`.
        #[error("the header must be a 56-byte hvm_start_info")]
        StartInfoSize,
        /// `hvm_start_info.magic` is not `XEN_HVM_START_MAGIC_VALUE`.
        #[error("hvm_start_info.magic is not 0x336ec578")]
        StartInfoMagic,
        /// `memmap_paddr` / `memmap_entries` disagree with the memory map given, or the map is not
        /// whole 24-byte entries.
        #[error("hvm_start_info's memmap_paddr/memmap_entries disagree with the memory map")]
        MemmapTableInconsistent,
        /// `modlist_paddr` / `nr_modules` disagree with the module list given, or the list is not
        /// whole 32-byte entries.
        #[error("hvm_start_info's modlist_paddr/nr_modules disagree with the module list")]
        ModulesInconsistent,
        /// Two of start_info, memory map and module list overlap in guest memory.
        #[error("hvm_start_info, the memory map and the module list overlap")]
        Overlap,
    }
}

/// Errors of the FDT boot configurator.
pub mod fdt {
    /// Why writing the device tree failed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
    pub enum Error {
        /// The device tree does not fit in guest memory.
        #[error("the device tree extends past the end of guest memory")]
        FDTPastRamEnd,
        /// Guest memory refused the write.
        #[error("writing the device tree to guest memory failed")]
        WriteFDTToMemory,
        /// The bytes are not a valid flattened device tree (upstream wrote them unchecked).
        #[error("the device tree is not a valid DTB")]
        InvalidFdt,
    }
}

/// Why configuring boot parameters failed.
///
/// Variant names are upstream linux-loader's; every variant exists on every host (upstream hides
/// `Linux`/`Pvh` off x86 and `Fdt` on x86).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The Linux boot configurator failed.
    #[error("boot configurator: Linux boot protocol: {0}")]
    Linux(#[from] linux::Error),
    /// The PVH boot configurator failed.
    #[error("boot configurator: PVH: {0}")]
    Pvh(#[from] pvh::Error),
    /// The FDT boot configurator failed.
    #[error("boot configurator: FDT: {0}")]
    Fdt(#[from] fdt::Error),
    /// A section or module was added without an address, and its list has none yet.
    #[error("boot configurator: a boot parameter was added without a guest address")]
    MissingStartAddress,
    /// A boot-parameter address computation overflowed.
    #[error("boot configurator: boot parameter address overflows")]
    Overflow,
    /// A boot parameter was placed before the start of its list.
    #[error("boot configurator: boot parameter address precedes the start of its list")]
    InvalidAddress,
    /// Placing a boot parameter would grow its list past
    /// [`MAX_BOOT_PARAMS_LIST`] bytes (upstream allocates
    /// whatever the gap asks for).
    #[error(
        "boot configurator: a boot parameter at offset {offset:#x} from its list start would \
         grow the list past {max:#x} bytes"
    )]
    ListTooLarge {
        /// Offset of the parameter's last byte + 1 from the list start.
        offset: u64,
        /// The limit.
        max: usize,
    },
}

/// Result alias for configurators, as upstream names it.
pub type Result<T> = std::result::Result<T, Error>;

/// Writes boot parameters into guest memory for one boot protocol.
pub trait BootConfigurator {
    /// Writes `params` into `guest_memory`, checking every structure fits before writing any.
    fn write_bootparams<M>(params: &BootParams, guest_memory: &M) -> Result<()>
    where
        M: GuestMemoryBackend;
}

/// Boot parameters as bytes plus their guest addresses: a header (zero page, `hvm_start_info`,
/// DTB) and optional lists of sections (PVH memory map) and modules (PVH module list).
///
/// Field names and types are upstream's, so VMM code that reads or builds them compiles
/// unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootParams {
    /// The header's bytes.
    pub header: Vec<u8>,
    /// Where the header goes.
    pub header_start: GuestAddress,
    /// The sections' bytes, if any.
    pub sections: Option<Vec<u8>>,
    /// Where the sections go.
    pub sections_start: Option<GuestAddress>,
    /// The modules' bytes, if any.
    pub modules: Option<Vec<u8>>,
    /// Where the modules go.
    pub modules_start: Option<GuestAddress>,
}

impl BootParams {
    /// Boot parameters with `header` at `header_addr` and no sections or modules.
    pub fn new<T: ByteValued>(header: &T, header_addr: GuestAddress) -> Self {
        Self {
            header: header.as_slice().to_vec(),
            header_start: header_addr,
            sections: None,
            sections_start: None,
            modules: None,
            modules_start: None,
        }
    }

    /// Replaces the sections with `sections`, laid out back to back at `sections_addr`.
    pub fn set_sections<T: ByteValued>(&mut self, sections: &[T], sections_addr: GuestAddress) {
        self.sections = Some(concat(sections));
        self.sections_start = Some(sections_addr);
    }

    /// Adds one section at `section_addr`, or right after the last one when `None`; returns the
    /// address it was placed at.
    pub fn add_section<T: ByteValued>(
        &mut self,
        section: &T,
        section_addr: Option<GuestAddress>,
    ) -> Result<GuestAddress> {
        add_to_list(
            section.as_slice(),
            section_addr,
            self.sections.get_or_insert_with(Vec::new),
            &mut self.sections_start,
        )
    }

    /// Replaces the modules with `modules`, laid out back to back at `modules_addr`.
    pub fn set_modules<T: ByteValued>(&mut self, modules: &[T], modules_addr: GuestAddress) {
        self.modules = Some(concat(modules));
        self.modules_start = Some(modules_addr);
    }

    /// Adds one module at `module_addr`, or right after the last one when `None`; returns the
    /// address it was placed at.
    pub fn add_module<T: ByteValued>(
        &mut self,
        module: &T,
        module_addr: Option<GuestAddress>,
    ) -> Result<GuestAddress> {
        add_to_list(
            module.as_slice(),
            module_addr,
            self.modules.get_or_insert_with(Vec::new),
            &mut self.modules_start,
        )
    }
}

fn concat<T: ByteValued>(items: &[T]) -> Vec<u8> {
    items
        .iter()
        .flat_map(|i| i.as_slice().iter().copied())
        .collect()
}

/// Places `elem` in `list` (whose first byte goes to `*list_start`) at `elem_addr`, or at the end
/// of the list when `None`. Gaps are zero-filled; an element placed over earlier bytes replaces
/// them. Checked arithmetic throughout, and the list never grows past `MAX_BOOT_PARAMS_LIST`.
fn add_to_list(
    elem: &[u8],
    elem_addr: Option<GuestAddress>,
    list: &mut Vec<u8>,
    list_start: &mut Option<GuestAddress>,
) -> Result<GuestAddress> {
    let start = match (*list_start, elem_addr) {
        (Some(start), _) => start,
        (None, Some(addr)) => addr,
        (None, None) => return Err(Error::MissingStartAddress),
    };
    let list_len = u64::try_from(list.len()).map_err(|_| Error::Overflow)?;
    let addr = match elem_addr {
        Some(addr) => addr,
        None => GuestAddress(start.0.checked_add(list_len).ok_or(Error::Overflow)?),
    };
    let offset = addr.0.checked_sub(start.0).ok_or(Error::InvalidAddress)?;
    let elem_len = u64::try_from(elem.len()).map_err(|_| Error::Overflow)?;
    let end = offset.checked_add(elem_len).ok_or(Error::Overflow)?;
    // The element's guest bytes must not wrap around the address space either.
    addr.0.checked_add(elem_len).ok_or(Error::Overflow)?;
    let too_large = Error::ListTooLarge {
        offset: end,
        max: MAX_BOOT_PARAMS_LIST,
    };
    let end_usize = usize::try_from(end).map_err(|_| too_large)?;
    if end_usize > MAX_BOOT_PARAMS_LIST {
        return Err(too_large);
    }
    let offset_usize = usize::try_from(offset).map_err(|_| too_large)?;
    if list.len() < end_usize {
        list.resize(end_usize, 0);
    }
    let dst = list
        .get_mut(offset_usize..end_usize)
        .ok_or(Error::Overflow)?;
    dst.copy_from_slice(elem);
    *list_start = Some(start);
    Ok(addr)
}
