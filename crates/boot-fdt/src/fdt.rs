// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The device tree as a value: a bounded parser from a DTB and a serializer back to one.
//!
//! Parsing checks every offset and size in the header and every token in the structure block,
//! with the [`limits`](crate::limits). Serializing writes a version-17 blob (header, memory
//! reservation block, structure block, strings block, in that order, as dtc and libfdt do). The
//! strings block of a parsed blob is kept and reused, so the name offsets of untouched properties
//! — and so the bytes of untouched nodes — are the same as in the input; names the blob did not
//! have are appended once each. Padding bytes are written as zeroes, as the specification asks;
//! blobs edited in place by libfdt (QEMU's) can carry stale bytes there, which come back zeroed.

use std::collections::HashMap;

use zerocopy::FromBytes;

use crate::error::{Error, Result};
use crate::header::{
    FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_LAST_COMP_VERSION, FDT_MAGIC, FDT_NOP, FDT_PROP,
    FDT_V16_HEADER_SIZE, FDT_V17_HEADER_SIZE, FDT_VERSION, FdtHeader,
};
use crate::limits::{
    MAX_DEPTH, MAX_DTB_SIZE, MAX_NAME_LEN, MAX_NODES, MAX_PROPERTIES, MAX_RESERVE_ENTRIES,
};

/// One entry of the memory reservation block: `size` bytes at `address` the OS must not use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReserveEntry {
    /// First reserved byte.
    pub address: u64,
    /// Bytes reserved.
    pub size: u64,
}

/// A property: a name and its raw value bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Property {
    /// The property's name (printable ASCII, at most [`MAX_NAME_LEN`] bytes).
    pub name: String,
    /// The property's value, as stored in the blob (big-endian cells, NUL-terminated strings...).
    pub value: Vec<u8>,
}

/// A node: its name (with unit address, e.g. `memory@40000000`; empty for the root), its
/// properties and its children, in blob order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    /// The node's name (printable ASCII, at most [`MAX_NAME_LEN`] bytes; empty only for the root).
    pub name: String,
    /// Properties, in blob order.
    pub properties: Vec<Property>,
    /// Child nodes, in blob order.
    pub children: Vec<Node>,
}

impl Node {
    /// A node with no properties and no children.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            properties: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The value of the property `name`, if present.
    pub fn property(&self, name: &str) -> Option<&[u8]> {
        self.properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_slice())
    }

    /// The value of the property `name` read as one big-endian `u32` cell.
    pub fn property_u32(&self, name: &str) -> Option<u32> {
        let v: [u8; 4] = self.property(name)?.try_into().ok()?;
        Some(u32::from_be_bytes(v))
    }

    /// The value of the property `name` read as a NUL-terminated string.
    pub fn property_str(&self, name: &str) -> Option<&str> {
        let v = self.property(name)?;
        let (last, text) = v.split_last()?;
        if *last != 0 || text.contains(&0) {
            return None;
        }
        std::str::from_utf8(text).ok()
    }

    /// Sets the property `name` to `value`: replaces the value in place when the property exists
    /// (keeping its position), appends it otherwise.
    pub fn set_property(&mut self, name: &str, value: impl Into<Vec<u8>>) {
        let value = value.into();
        match self.properties.iter_mut().find(|p| p.name == name) {
            Some(p) => p.value = value,
            None => self.properties.push(Property {
                name: name.to_owned(),
                value,
            }),
        }
    }

    /// Removes the property `name`, returning its value if it was present.
    pub fn remove_property(&mut self, name: &str) -> Option<Vec<u8>> {
        let index = self.properties.iter().position(|p| p.name == name)?;
        Some(self.properties.remove(index).value)
    }

    /// The child named `name`. A name without `@` also matches a child with a unit address
    /// (`memory` matches `memory@40000000`), as libfdt's path lookup does; an exact match wins.
    pub fn child(&self, name: &str) -> Option<&Node> {
        let index = self.child_index(name)?;
        self.children.get(index)
    }

    /// Mutable access to the child named `name` (same matching as [`Node::child`]).
    pub fn child_mut(&mut self, name: &str) -> Option<&mut Node> {
        let index = self.child_index(name)?;
        self.children.get_mut(index)
    }

    /// The child named exactly `name`, appended when absent.
    pub fn child_or_insert(&mut self, name: &str) -> &mut Node {
        let index = match self.children.iter().position(|c| c.name == name) {
            Some(index) => index,
            None => {
                self.children.push(Node::new(name));
                self.children.len().saturating_sub(1)
            }
        };
        // In range by construction: a found position, or the node just pushed.
        #[allow(clippy::indexing_slicing)]
        &mut self.children[index]
    }

    fn child_index(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.children.iter().position(|c| c.name == name) {
            return Some(i);
        }
        if name.contains('@') {
            return None;
        }
        self.children
            .iter()
            .position(|c| c.name.split_once('@').is_some_and(|(base, _)| base == name))
    }
}

/// The strings block of a parsed blob and the offsets its properties used, reused when
/// serializing so that untouched properties keep their name offsets.
#[derive(Clone, Debug, Default)]
struct StringPool {
    bytes: Vec<u8>,
    offsets: HashMap<String, u32>,
}

/// A device tree: boot CPU, memory reservations and the node tree.
///
/// Equality compares the tree, the reservations and the boot CPU — not how the strings block of
/// the blob it came from was laid out.
#[derive(Clone, Debug, Default)]
pub struct Fdt {
    /// The header's `boot_cpuid_phys`.
    pub boot_cpuid_phys: u32,
    /// The memory reservation block, without its terminating `(0, 0)` entry.
    pub reserve_map: Vec<ReserveEntry>,
    /// The root node (its name is empty).
    pub root: Node,
    strings: StringPool,
}

impl PartialEq for Fdt {
    fn eq(&self, other: &Self) -> bool {
        self.boot_cpuid_phys == other.boot_cpuid_phys
            && self.reserve_map == other.reserve_map
            && self.root == other.root
    }
}

impl Eq for Fdt {}

/// Header facts of a blob that passed validation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DtbInfo {
    /// The header's `totalsize`: the bytes of the input that are the blob.
    pub totalsize: u32,
    /// The header's `version`.
    pub version: u32,
    /// The header's `last_comp_version`.
    pub last_comp_version: u32,
    /// The header's `boot_cpuid_phys`.
    pub boot_cpuid_phys: u32,
    /// Nodes in the tree, root included.
    pub nodes: usize,
    /// Properties in the tree.
    pub properties: usize,
}

/// Checks that `bytes` start with a well-formed DTB and returns its header facts.
///
/// Everything [`Fdt::parse`] checks is checked: magic, `totalsize` within `bytes` and at most
/// [`MAX_DTB_SIZE`], version, every block inside `totalsize`, and the structure block token by
/// token (names, property lengths, string offsets, nesting, `FDT_END`).
pub fn validate(bytes: &[u8]) -> Result<DtbInfo> {
    parse_blob(bytes).map(|(_, info)| info)
}

impl Fdt {
    /// An empty tree: a root node with no properties, no reservations, boot CPU 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses and validates a DTB. Bytes past the header's `totalsize` are ignored.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        parse_blob(bytes).map(|(fdt, _)| fdt)
    }

    /// The node at `path` (`/`, `/chosen`, `/soc/uart@9000000`); see [`Node::child`] for how
    /// unit addresses match.
    pub fn node(&self, path: &str) -> Option<&Node> {
        path.split('/')
            .filter(|c| !c.is_empty())
            .try_fold(&self.root, |node, comp| node.child(comp))
    }

    /// Mutable access to the node at `path`.
    pub fn node_mut(&mut self, path: &str) -> Option<&mut Node> {
        path.split('/')
            .filter(|c| !c.is_empty())
            .try_fold(&mut self.root, |node, comp| node.child_mut(comp))
    }

    /// Serializes the tree into a version-17 DTB.
    ///
    /// Fails when a name is invalid, a limit is exceeded, or the blob would be larger than
    /// [`MAX_DTB_SIZE`].
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serialize(self)
    }
}

/// Reads a big-endian `u32` at `pos` of `bytes`.
fn be32(bytes: &[u8], pos: usize) -> Option<u32> {
    let end = pos.checked_add(4)?;
    let b: [u8; 4] = bytes.get(pos..end)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}

/// Reads a big-endian `u64` at `pos` of `bytes`.
fn be64(bytes: &[u8], pos: usize) -> Option<u64> {
    let end = pos.checked_add(8)?;
    let b: [u8; 8] = bytes.get(pos..end)?.try_into().ok()?;
    Some(u64::from_be_bytes(b))
}

fn to_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Rounds `n` up to a multiple of 4.
fn align4(n: usize) -> Option<usize> {
    n.checked_add(3).map(|v| v & !3)
}

/// Whether `name` is acceptable as a node or property name: printable ASCII without spaces (the
/// specification's character sets are subsets of this), at most [`MAX_NAME_LEN`] bytes, and
/// non-empty unless `allow_empty`.
fn name_ok(name: &[u8], allow_empty: bool) -> bool {
    (allow_empty || !name.is_empty())
        && name.len() <= MAX_NAME_LEN
        && name.iter().all(|b| (0x21..=0x7e).contains(b))
}

/// Reads a NUL-terminated name starting at `pos` of `block`, looking at most
/// `MAX_NAME_LEN + 1` bytes ahead. Returns the name's bytes.
fn c_name(block: &[u8], pos: usize) -> Option<&[u8]> {
    let rest = block.get(pos..)?;
    let window = rest.get(..rest.len().min(MAX_NAME_LEN.saturating_add(1)))?;
    let nul = window.iter().position(|&b| b == 0)?;
    window.get(..nul)
}

fn parse_blob(bytes: &[u8]) -> Result<(Fdt, DtbInfo)> {
    let len = bytes.len();
    let Some(magic) = be32(bytes, 0) else {
        return Err(Error::HeaderTruncated {
            len: to_u64(len),
            needed: to_u64(FDT_V17_HEADER_SIZE),
        });
    };
    if magic != FDT_MAGIC {
        return Err(Error::BadMagic { found: magic });
    }
    // The version fields decide the header size; they sit inside both sizes.
    if len < FDT_V16_HEADER_SIZE {
        return Err(Error::HeaderTruncated {
            len: to_u64(len),
            needed: to_u64(FDT_V17_HEADER_SIZE),
        });
    }
    let mut padded = [0u8; FDT_V17_HEADER_SIZE];
    let copy_len = len.min(FDT_V17_HEADER_SIZE);
    if let (Some(dst), Some(src)) = (padded.get_mut(..copy_len), bytes.get(..copy_len)) {
        dst.copy_from_slice(src);
    }
    let header = FdtHeader::read_from_bytes(&padded).unwrap_or_default();
    let version = header.version.get();
    let last_comp_version = header.last_comp_version.get();
    if version < 16 || last_comp_version > FDT_VERSION {
        return Err(Error::UnsupportedVersion {
            version,
            last_comp_version,
        });
    }
    let header_size = if version >= 17 {
        FDT_V17_HEADER_SIZE
    } else {
        FDT_V16_HEADER_SIZE
    };
    if len < header_size {
        return Err(Error::HeaderTruncated {
            len: to_u64(len),
            needed: to_u64(header_size),
        });
    }
    let totalsize = header.totalsize.get();
    let total = usize::try_from(totalsize).unwrap_or(usize::MAX);
    if total > MAX_DTB_SIZE {
        return Err(Error::TooLarge {
            size: u64::from(totalsize),
            max: to_u64(MAX_DTB_SIZE),
        });
    }
    if total > len {
        return Err(Error::TotalSizePastEnd {
            totalsize: u64::from(totalsize),
            len: to_u64(len),
        });
    }
    if total < header_size {
        return Err(Error::TotalSizeTooSmall {
            totalsize: u64::from(totalsize),
            header_size: to_u64(header_size),
        });
    }
    let blob = bytes.get(..total).unwrap_or_default();

    // Struct block.
    let off_struct = header.off_dt_struct.get();
    let struct_size = if version >= 17 {
        header.size_dt_struct.get()
    } else {
        totalsize.saturating_sub(off_struct)
    };
    let struct_err = Error::StructBlockOutOfRange {
        offset: u64::from(off_struct),
        size: u64::from(struct_size),
        totalsize: u64::from(totalsize),
    };
    let struct_start = usize::try_from(off_struct).map_err(|_| struct_err.clone())?;
    if struct_start & 3 != 0 || struct_start < header_size {
        return Err(struct_err);
    }
    let struct_end = usize::try_from(struct_size)
        .ok()
        .and_then(|s| struct_start.checked_add(s))
        .ok_or_else(|| struct_err.clone())?;
    let struct_block = blob.get(struct_start..struct_end).ok_or(struct_err)?;

    // Strings block.
    let off_strings = header.off_dt_strings.get();
    let strings_size = header.size_dt_strings.get();
    let strings_err = Error::StringsBlockOutOfRange {
        offset: u64::from(off_strings),
        size: u64::from(strings_size),
        totalsize: u64::from(totalsize),
    };
    let strings_start = usize::try_from(off_strings).map_err(|_| strings_err.clone())?;
    let strings_end = usize::try_from(strings_size)
        .ok()
        .and_then(|s| strings_start.checked_add(s))
        .ok_or_else(|| strings_err.clone())?;
    if strings_start < header_size {
        return Err(strings_err);
    }
    let strings_block = blob.get(strings_start..strings_end).ok_or(strings_err)?;

    let reserve_map = parse_reserve_map(blob, header.off_mem_rsvmap.get(), header_size)?;
    let (root, offsets, counts) = parse_struct(struct_block, strings_block, struct_start)?;

    let fdt = Fdt {
        boot_cpuid_phys: header.boot_cpuid_phys.get(),
        reserve_map,
        root,
        strings: StringPool {
            bytes: strings_block.to_vec(),
            offsets,
        },
    };
    let info = DtbInfo {
        totalsize,
        version,
        last_comp_version,
        boot_cpuid_phys: fdt.boot_cpuid_phys,
        nodes: counts.0,
        properties: counts.1,
    };
    Ok((fdt, info))
}

fn parse_reserve_map(blob: &[u8], off: u32, header_size: usize) -> Result<Vec<ReserveEntry>> {
    let totalsize = to_u64(blob.len());
    let err = |offset: u64| Error::ReserveMapOutOfRange { offset, totalsize };
    let start = usize::try_from(off).map_err(|_| err(u64::from(off)))?;
    if start & 7 != 0 || start < header_size {
        return Err(err(u64::from(off)));
    }
    let mut entries = Vec::new();
    let mut pos = start;
    loop {
        let (Some(address), Some(size)) = (
            be64(blob, pos),
            pos.checked_add(8).and_then(|p| be64(blob, p)),
        ) else {
            return Err(err(to_u64(pos)));
        };
        if address == 0 && size == 0 {
            return Ok(entries);
        }
        if entries.len() >= MAX_RESERVE_ENTRIES {
            return Err(Error::TooManyReserveEntries {
                max: MAX_RESERVE_ENTRIES,
            });
        }
        entries.push(ReserveEntry { address, size });
        pos = pos.checked_add(16).ok_or_else(|| err(to_u64(pos)))?;
    }
}

type ParsedStruct = (Node, HashMap<String, u32>, (usize, usize));

/// Walks the structure block. `base` is the block's offset in the blob, for error offsets.
fn parse_struct(block: &[u8], strings: &[u8], base: usize) -> Result<ParsedStruct> {
    let at = |pos: usize| to_u64(base.saturating_add(pos));
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    let mut offsets: HashMap<String, u32> = HashMap::new();
    let mut nodes = 0usize;
    let mut properties = 0usize;
    let mut pos = 0usize;
    loop {
        let Some(token) = be32(block, pos) else {
            return Err(Error::UnterminatedNode {
                offset: at(pos),
                depth: stack.len(),
            });
        };
        let token_pos = pos;
        pos = pos.saturating_add(4);
        match token {
            FDT_NOP => {}
            FDT_BEGIN_NODE => {
                if root.is_some() {
                    // A second top-level node.
                    return Err(Error::UnexpectedToken {
                        offset: at(token_pos),
                        token,
                    });
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::DepthLimit {
                        offset: at(token_pos),
                        max: MAX_DEPTH,
                    });
                }
                if nodes >= MAX_NODES {
                    return Err(Error::TooManyNodes { max: MAX_NODES });
                }
                let name = c_name(block, pos).ok_or(Error::UnterminatedName { offset: at(pos) })?;
                if !name_ok(name, stack.is_empty()) {
                    return Err(Error::BadName { offset: at(pos) });
                }
                let name_str = String::from_utf8(name.to_vec())
                    .map_err(|_| Error::BadName { offset: at(pos) })?;
                pos = pos
                    .checked_add(name.len())
                    .and_then(|p| p.checked_add(1))
                    .and_then(align4)
                    .ok_or(Error::UnterminatedName { offset: at(pos) })?;
                nodes = nodes.saturating_add(1);
                stack.push(Node::new(name_str));
            }
            FDT_END_NODE => {
                let Some(node) = stack.pop() else {
                    return Err(Error::UnexpectedToken {
                        offset: at(token_pos),
                        token,
                    });
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            FDT_PROP => {
                let Some(node) = stack.last_mut() else {
                    return Err(Error::UnexpectedToken {
                        offset: at(token_pos),
                        token,
                    });
                };
                // Properties precede subnodes (specification 5.4.2); a property after a child
                // could not be re-serialized in place.
                if !node.children.is_empty() {
                    return Err(Error::UnexpectedToken {
                        offset: at(token_pos),
                        token,
                    });
                }
                if properties >= MAX_PROPERTIES {
                    return Err(Error::TooManyProperties {
                        max: MAX_PROPERTIES,
                    });
                }
                let (Some(len), Some(nameoff)) = (
                    be32(block, pos),
                    pos.checked_add(4).and_then(|p| be32(block, p)),
                ) else {
                    return Err(Error::PropertyOutOfRange {
                        offset: at(token_pos),
                        len: 0,
                    });
                };
                let out_of_range = Error::PropertyOutOfRange {
                    offset: at(token_pos),
                    len: u64::from(len),
                };
                let value_start = pos.checked_add(8).ok_or_else(|| out_of_range.clone())?;
                let value_end = usize::try_from(len)
                    .ok()
                    .and_then(|l| value_start.checked_add(l))
                    .ok_or_else(|| out_of_range.clone())?;
                let value = block
                    .get(value_start..value_end)
                    .ok_or_else(|| out_of_range.clone())?;
                let bad_off = Error::BadStringOffset {
                    offset: at(token_pos),
                    nameoff: u64::from(nameoff),
                };
                let name_pos = usize::try_from(nameoff).map_err(|_| bad_off.clone())?;
                if name_pos >= strings.len() {
                    return Err(bad_off);
                }
                let name = c_name(strings, name_pos).ok_or_else(|| bad_off.clone())?;
                if !name_ok(name, false) {
                    return Err(Error::BadName {
                        offset: at(token_pos),
                    });
                }
                let name_str = String::from_utf8(name.to_vec()).map_err(|_| Error::BadName {
                    offset: at(token_pos),
                })?;
                offsets
                    .entry(name_str.clone())
                    .and_modify(|o| *o = (*o).min(nameoff))
                    .or_insert(nameoff);
                node.properties.push(Property {
                    name: name_str,
                    value: value.to_vec(),
                });
                properties = properties.saturating_add(1);
                pos = align4(value_end).ok_or(out_of_range)?;
            }
            FDT_END => {
                if !stack.is_empty() {
                    return Err(Error::UnterminatedNode {
                        offset: at(token_pos),
                        depth: stack.len(),
                    });
                }
                return match root {
                    Some(root) => Ok((root, offsets, (nodes, properties))),
                    None => Err(Error::UnexpectedToken {
                        offset: at(token_pos),
                        token,
                    }),
                };
            }
            other => {
                return Err(Error::UnexpectedToken {
                    offset: at(token_pos),
                    token: other,
                });
            }
        }
    }
}

/// The serializer's state: the output struct block and the strings pool being extended.
struct Writer {
    structs: Vec<u8>,
    strings: Vec<u8>,
    offsets: HashMap<String, u32>,
    nodes: usize,
    properties: usize,
}

impl Writer {
    fn too_large(&self) -> Error {
        Error::TooLarge {
            size: to_u64(self.structs.len().saturating_add(self.strings.len())),
            max: to_u64(MAX_DTB_SIZE),
        }
    }

    fn check_size(&self) -> Result<()> {
        if self.structs.len().saturating_add(self.strings.len()) > MAX_DTB_SIZE {
            return Err(self.too_large());
        }
        Ok(())
    }

    fn push_u32(&mut self, v: u32) {
        self.structs.extend_from_slice(&v.to_be_bytes());
    }

    fn pad4(&mut self) {
        while self.structs.len() & 3 != 0 {
            self.structs.push(0);
        }
    }

    fn name_offset(&mut self, name: &str) -> Result<u32> {
        if let Some(&off) = self.offsets.get(name) {
            return Ok(off);
        }
        let off = u32::try_from(self.strings.len()).map_err(|_| self.too_large())?;
        self.strings.extend_from_slice(name.as_bytes());
        self.strings.push(0);
        self.offsets.insert(name.to_owned(), off);
        Ok(off)
    }

    fn node(&mut self, node: &Node, depth: usize) -> Result<()> {
        let here = to_u64(self.structs.len());
        if depth > MAX_DEPTH {
            return Err(Error::DepthLimit {
                offset: here,
                max: MAX_DEPTH,
            });
        }
        if !name_ok(node.name.as_bytes(), depth == 1) {
            return Err(Error::BadName { offset: here });
        }
        self.nodes = self.nodes.saturating_add(1);
        if self.nodes > MAX_NODES {
            return Err(Error::TooManyNodes { max: MAX_NODES });
        }
        self.push_u32(FDT_BEGIN_NODE);
        self.structs.extend_from_slice(node.name.as_bytes());
        self.structs.push(0);
        self.pad4();
        for prop in &node.properties {
            let here = to_u64(self.structs.len());
            if !name_ok(prop.name.as_bytes(), false) {
                return Err(Error::BadName { offset: here });
            }
            self.properties = self.properties.saturating_add(1);
            if self.properties > MAX_PROPERTIES {
                return Err(Error::TooManyProperties {
                    max: MAX_PROPERTIES,
                });
            }
            let len = u32::try_from(prop.value.len()).map_err(|_| self.too_large())?;
            if prop.value.len() > MAX_DTB_SIZE {
                return Err(self.too_large());
            }
            let nameoff = self.name_offset(&prop.name)?;
            self.push_u32(FDT_PROP);
            self.push_u32(len);
            self.push_u32(nameoff);
            self.structs.extend_from_slice(&prop.value);
            self.pad4();
            self.check_size()?;
        }
        for child in &node.children {
            self.node(child, depth.saturating_add(1))?;
        }
        self.push_u32(FDT_END_NODE);
        self.check_size()
    }
}

fn serialize(fdt: &Fdt) -> Result<Vec<u8>> {
    if fdt.reserve_map.len() > MAX_RESERVE_ENTRIES {
        return Err(Error::TooManyReserveEntries {
            max: MAX_RESERVE_ENTRIES,
        });
    }
    let mut w = Writer {
        structs: Vec::new(),
        strings: fdt.strings.bytes.clone(),
        offsets: fdt.strings.offsets.clone(),
        nodes: 0,
        properties: 0,
    };
    w.node(&fdt.root, 1)?;
    w.push_u32(FDT_END);

    let mut rsv = Vec::new();
    for e in &fdt.reserve_map {
        rsv.extend_from_slice(&e.address.to_be_bytes());
        rsv.extend_from_slice(&e.size.to_be_bytes());
    }
    rsv.extend_from_slice(&[0u8; 16]);

    let off_rsv = FDT_V17_HEADER_SIZE; // 40: already 8-byte aligned.
    let total = off_rsv
        .checked_add(rsv.len())
        .and_then(|n| n.checked_add(w.structs.len()))
        .and_then(|n| n.checked_add(w.strings.len()))
        .unwrap_or(usize::MAX);
    if total > MAX_DTB_SIZE {
        return Err(Error::TooLarge {
            size: to_u64(total),
            max: to_u64(MAX_DTB_SIZE),
        });
    }
    // Every quantity below is at most MAX_DTB_SIZE (2 MiB), so these conversions cannot fail.
    let u = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let off_struct = off_rsv.saturating_add(rsv.len());
    let off_strings = off_struct.saturating_add(w.structs.len());
    let mut out = Vec::with_capacity(total);
    for field in [
        FDT_MAGIC,
        u(total),
        u(off_struct),
        u(off_strings),
        u(off_rsv),
        FDT_VERSION,
        FDT_LAST_COMP_VERSION,
        fdt.boot_cpuid_phys,
        u(w.strings.len()),
        u(w.structs.len()),
    ] {
        out.extend_from_slice(&field.to_be_bytes());
    }
    out.extend_from_slice(&rsv);
    out.extend_from_slice(&w.structs);
    out.extend_from_slice(&w.strings);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Fdt {
        let mut fdt = Fdt::new();
        fdt.root.set_property("#address-cells", 2u32.to_be_bytes());
        fdt.root.set_property("#size-cells", 2u32.to_be_bytes());
        fdt.root
            .set_property("compatible", b"linux,dummy-virt\0".to_vec());
        let mut uart = Node::new("pl011@9000000");
        uart.set_property("compatible", b"arm,pl011\0arm,primecell\0".to_vec());
        fdt.root.children.push(uart);
        fdt.root.child_or_insert("chosen");
        fdt.reserve_map.push(ReserveEntry {
            address: 0x1000,
            size: 0x2000,
        });
        fdt
    }

    #[test]
    fn round_trip_and_lookup() {
        let fdt = sample();
        let blob = fdt.to_bytes().unwrap();
        let info = validate(&blob).unwrap();
        assert_eq!(info.nodes, 3);
        assert_eq!(info.properties, 4);
        assert_eq!(info.version, 17);
        let back = Fdt::parse(&blob).unwrap();
        assert_eq!(back, fdt);
        assert_eq!(back.to_bytes().unwrap(), blob);
        assert!(back.node("/pl011").is_some());
        assert!(back.node("/pl011@9000000").is_some());
        assert!(back.node("/pl011@1").is_none());
        assert_eq!(back.root.property_u32("#size-cells"), Some(2));
        assert_eq!(
            back.root.property_str("compatible"),
            Some("linux,dummy-virt")
        );
        // Shared names are stored once.
        let strings = &blob[be32(&blob, 12).unwrap() as usize..];
        assert_eq!(
            strings.windows(11).filter(|w| w == b"compatible\0").count(),
            1
        );
    }

    #[test]
    fn serializer_rejects_bad_names_and_depth() {
        let mut fdt = Fdt::new();
        fdt.root.children.push(Node::new(""));
        assert!(matches!(fdt.to_bytes(), Err(Error::BadName { .. })));
        let mut fdt = Fdt::new();
        fdt.root.set_property("bad name", vec![]);
        assert!(matches!(fdt.to_bytes(), Err(Error::BadName { .. })));
        let mut fdt = Fdt::new();
        let mut deep = Node::new("n");
        for _ in 0..MAX_DEPTH {
            let mut parent = Node::new("n");
            parent.children.push(deep);
            deep = parent;
        }
        fdt.root.children.push(deep);
        assert!(matches!(
            fdt.to_bytes(),
            Err(Error::DepthLimit { max: MAX_DEPTH, .. })
        ));
    }

    #[test]
    fn serializer_rejects_oversized_tree() {
        let mut fdt = Fdt::new();
        fdt.root.set_property("big", vec![0u8; MAX_DTB_SIZE]);
        assert!(matches!(fdt.to_bytes(), Err(Error::TooLarge { .. })));
    }
}
