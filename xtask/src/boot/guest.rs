// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Guest memory as our crates lay it out, and the files QEMU receives from it.
//!
//! Every byte goes in through a workspace crate (a kernel loader's plan, `load_cmdline`, a boot
//! configurator, or a one-segment [`LoadPlan`] for the initrd); this module only remembers which
//! ranges were populated and copies exactly those out to files for `-device loader`.

use std::fs::File;
use std::path::Path;

use loader_core::{GuestRange, LoadPlan, SeekSource, Segment};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

use super::qemu::Blob;

/// Guest memory plus the ranges written into it.
pub(crate) struct GuestImage {
    /// The memory our crates write into.
    pub(crate) mem: GuestMemoryMmap<()>,
    populated: Vec<(String, GuestRange)>,
}

impl GuestImage {
    /// RAM regions as `(start, len)`.
    pub(crate) fn new(regions: &[(u64, u64)]) -> Result<Self, String> {
        let ranges: Vec<(GuestAddress, usize)> = regions
            .iter()
            .map(|&(s, l)| (GuestAddress(s), l as usize))
            .collect();
        let mem = GuestMemoryMmap::<()>::from_ranges(&ranges)
            .map_err(|e| format!("cannot create guest memory: {e}"))?;
        Ok(Self {
            mem,
            populated: Vec::new(),
        })
    }

    /// Records that `range` was written (by a crate) and must reach QEMU.
    pub(crate) fn record(&mut self, label: &str, range: GuestRange) {
        if range.len > 0 {
            self.populated.push((label.to_owned(), range));
        }
    }

    /// Loads the file at `path` at `addr` through loader-core's executor (one segment, checked
    /// against guest memory before anything is written) and records it.
    pub(crate) fn load_file(
        &mut self,
        label: &str,
        path: &Path,
        addr: GuestAddress,
    ) -> Result<GuestRange, String> {
        let mut f = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let len = f
            .metadata()
            .map_err(|e| format!("{}: {e}", path.display()))?
            .len();
        let mut plan = LoadPlan::new();
        let seg = Segment {
            file_offset: 0,
            file_len: len,
            guest_addr: addr,
            mem_len: len,
        };
        plan.push(seg).map_err(|e| format!("{label}: {e}"))?;
        plan.execute(&self.mem, &mut SeekSource::new(&mut f))
            .map_err(|e| format!("{label} at {:#x}: {e}", addr.0))?;
        let range = seg.guest_range();
        self.record(label, range);
        Ok(range)
    }

    /// Writes each populated range to `<dir>/<index>-<label>.bin`, for `-device loader`.
    pub(crate) fn dump(&self, dir: &Path) -> Result<Vec<Blob>, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut blobs = Vec::new();
        let mut buf = Vec::new();
        for (i, (label, range)) in self.populated.iter().enumerate() {
            buf.resize(range.len as usize, 0);
            self.mem
                .read_slice(&mut buf, range.start)
                .map_err(|e| format!("reading back {label} at {:#x}: {e}", range.start.0))?;
            let path = dir.join(format!("{i:02}-{label}.bin"));
            std::fs::write(&path, &buf).map_err(|e| format!("{}: {e}", path.display()))?;
            blobs.push(Blob {
                label: label.clone(),
                path,
                addr: range.start.0,
                len: range.len,
            });
        }
        Ok(blobs)
    }
}

/// Writes a harness blob (not guest-memory contents: firmware data such as the stub descriptor)
/// to `<dir>/<label>.bin`.
pub(crate) fn harness_blob(
    dir: &Path,
    label: &str,
    addr: u64,
    bytes: &[u8],
) -> Result<Blob, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("{label}.bin"));
    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Blob {
        label: label.to_owned(),
        path,
        addr,
        len: bytes.len() as u64,
    })
}
