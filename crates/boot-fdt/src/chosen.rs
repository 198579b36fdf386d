// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Patching what a boot loader owns in a device tree: `/chosen` (command line, initrd, RNG seed,
//! console) and the `/memory` nodes.

use loader_core::GuestRange;

use crate::error::{Error, Result};
use crate::fdt::{Fdt, Node};

/// `/chosen` property: the kernel command line, a NUL-terminated string.
pub const PROP_BOOTARGS: &str = "bootargs";
/// `/chosen` property: physical address of the initrd's first byte.
pub const PROP_INITRD_START: &str = "linux,initrd-start";
/// `/chosen` property: physical address one past the initrd's last byte.
pub const PROP_INITRD_END: &str = "linux,initrd-end";
/// `/chosen` property: bytes the kernel mixes into its entropy pool (and then zeroes).
pub const PROP_RNG_SEED: &str = "rng-seed";
/// `/chosen` property: path (or alias) of the console device, a NUL-terminated string.
pub const PROP_STDOUT_PATH: &str = "stdout-path";

/// `/chosen`, borrowed from an [`Fdt`] for patching (see [`Fdt::chosen_mut`]).
#[derive(Debug)]
pub struct Chosen<'a> {
    node: &'a mut Node,
}

fn c_string(value: &str, property: &'static str) -> Result<Vec<u8>> {
    if value.as_bytes().contains(&0) {
        return Err(Error::InteriorNul { property });
    }
    let mut v = Vec::with_capacity(value.len().saturating_add(1));
    v.extend_from_slice(value.as_bytes());
    v.push(0);
    Ok(v)
}

impl Chosen<'_> {
    /// Sets `bootargs` (the kernel command line). Fails on an interior NUL.
    pub fn set_bootargs(&mut self, bootargs: &str) -> Result<()> {
        let v = c_string(bootargs, PROP_BOOTARGS)?;
        self.node.set_property(PROP_BOOTARGS, v);
        Ok(())
    }

    /// Sets `linux,initrd-start` and `linux,initrd-end` (exclusive), each as a big-endian `u64`
    /// (two cells; Linux reads either width). Fails when `end < start`.
    pub fn set_initrd(&mut self, start: u64, end: u64) -> Result<()> {
        if end < start {
            return Err(Error::BadInitrdRange { start, end });
        }
        self.node
            .set_property(PROP_INITRD_START, start.to_be_bytes());
        self.node.set_property(PROP_INITRD_END, end.to_be_bytes());
        Ok(())
    }

    /// Sets `linux,initrd-start`/`-end` to cover `range` (for example [`FdtLayout::initrd`](crate::FdtLayout)).
    pub fn set_initrd_range(&mut self, range: GuestRange) -> Result<()> {
        let end = range.end().ok_or(Error::BadInitrdRange {
            start: range.start.0,
            end: range.end_or_max(),
        })?;
        self.set_initrd(range.start.0, end.0)
    }

    /// Removes the initrd properties.
    pub fn clear_initrd(&mut self) {
        self.node.remove_property(PROP_INITRD_START);
        self.node.remove_property(PROP_INITRD_END);
    }

    /// Sets `rng-seed`.
    pub fn set_rng_seed(&mut self, seed: &[u8]) {
        self.node.set_property(PROP_RNG_SEED, seed.to_vec());
    }

    /// Sets `stdout-path` (e.g. `/pl011@9000000` or `serial0:115200n8`). Fails on an interior
    /// NUL.
    pub fn set_stdout_path(&mut self, path: &str) -> Result<()> {
        let v = c_string(path, PROP_STDOUT_PATH)?;
        self.node.set_property(PROP_STDOUT_PATH, v);
        Ok(())
    }

    /// The `/chosen` node.
    pub fn node(&self) -> &Node {
        self.node
    }

    /// The `/chosen` node, for properties this type has no setter for.
    pub fn node_mut(&mut self) -> &mut Node {
        self.node
    }
}

/// Appends `value` to `out` as `cells` big-endian 32-bit cells.
fn push_cells(out: &mut Vec<u8>, value: u64, cells: u32) -> Result<()> {
    match cells {
        1 => {
            let v = u32::try_from(value).map_err(|_| Error::CellOverflow { value, cells })?;
            out.extend_from_slice(&v.to_be_bytes());
        }
        _ => out.extend_from_slice(&value.to_be_bytes()),
    }
    Ok(())
}

/// Whether a root child describes memory: `device_type = "memory"`, or named `memory` /
/// `memory@...` without a device_type.
fn is_memory_node(node: &Node) -> bool {
    match node.property_str("device_type") {
        Some(t) => t == "memory",
        None => node.name == "memory" || node.name.starts_with("memory@"),
    }
}

impl Fdt {
    /// `/chosen`, created empty at the end of the root's children when absent.
    pub fn chosen_mut(&mut self) -> Chosen<'_> {
        Chosen {
            node: self.root.child_or_insert("chosen"),
        }
    }

    /// `/chosen`, if present.
    pub fn chosen(&self) -> Option<&Node> {
        self.root.child("chosen")
    }

    /// Replaces every memory node under the root with one `memory@<start>` node per region
    /// (`device_type = "memory"`, `reg` in the root's `#address-cells`/`#size-cells`, which
    /// default to 2 and 1). The new nodes go where the first old one was, or at the end.
    ///
    /// Fails when the root's cell counts are not 1 or 2, or a value does not fit in them.
    /// Nothing changes on error.
    pub fn set_memory(&mut self, regions: &[GuestRange]) -> Result<()> {
        let address_cells = self.root.property_u32("#address-cells").unwrap_or(2);
        let size_cells = self.root.property_u32("#size-cells").unwrap_or(1);
        if !(1..=2).contains(&address_cells) || !(1..=2).contains(&size_cells) {
            return Err(Error::UnsupportedCells {
                address_cells,
                size_cells,
            });
        }
        let mut new_nodes = Vec::with_capacity(regions.len());
        for r in regions {
            let mut reg = Vec::with_capacity(16);
            push_cells(&mut reg, r.start.0, address_cells)?;
            push_cells(&mut reg, r.len, size_cells)?;
            let mut node = Node::new(format!("memory@{:x}", r.start.0));
            node.set_property("device_type", b"memory\0".to_vec());
            node.set_property("reg", reg);
            new_nodes.push(node);
        }
        let insert_at = self
            .root
            .children
            .iter()
            .position(is_memory_node)
            .unwrap_or(self.root.children.len());
        self.root.children.retain(|c| !is_memory_node(c));
        let at = insert_at.min(self.root.children.len());
        self.root.children.splice(at..at, new_nodes);
        Ok(())
    }
}
