// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Regression tests for upstream linux-loader's ELF loader weak points: each test is named
//! after the upstream behaviour it guards against.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

mod common;

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::sync::mpsc;
use std::time::Duration;

use common::{expected_memory, fixture, load_err, load_ok, mem, patch, snapshot};
use kernel_elf::{Elf, Error, PvhBootCapability};
use vm_memory::bitmap::BitmapSlice;
use vm_memory::{GuestAddress, ReadVolatile, VolatileMemoryError, VolatileSlice};

/// Offset of program header `i` in the x86_64 fixtures.
fn ph(i: usize) -> usize {
    0x40 + i * 56
}

/// Upstream assigned `pvh_boot_cap` once per PT_NOTE segment, so a later segment without the
/// PVH note reset an earlier `PvhEntryPresent` to `PvhEntryNotPresent`. `x86_64-pvh.elf` has the
/// PVH note in its first PT_NOTE and an unrelated note in its second.
#[test]
fn regression_later_pt_note_does_not_erase_pvh_entry() {
    let load = load_ok(&fixture("x86_64-pvh.elf"), None, None);
    assert_eq!(
        load.pvh_boot_cap,
        PvhBootCapability::PvhEntryPresent(GuestAddress(0x20_0080))
    );

    // And with the two note segments' program headers swapped, the PVH note comes last.
    let image = fixture("x86_64-pvh.elf");
    let (a, b) = (image[ph(2)..ph(3)].to_vec(), image[ph(3)..ph(4)].to_vec());
    let image = patch(&patch(&image, ph(2), &b), ph(3), &a);
    let load = load_ok(&image, None, None);
    assert_eq!(
        load.pvh_boot_cap,
        PvhBootCapability::PvhEntryPresent(GuestAddress(0x20_0080))
    );
}

/// Upstream compared only the raw `e_entry` with `highmem_start_address`, so a segment below
/// high memory (here the text segment at 0x200000 with the entry moved into the data segment)
/// was written there anyway.
#[test]
fn regression_highmem_checked_for_every_segment_not_only_the_entry() {
    let image = patch(
        &fixture("x86_64-linux.elf"),
        24,
        &0x20_1010u64.to_le_bytes(),
    );
    let err = load_err(&image, None, Some(GuestAddress(0x20_1000)));
    assert!(
        matches!(
            err,
            Error::BelowHighmem {
                index: 0,
                addr: 0x20_0000,
                highmem: 0x20_1000
            }
        ),
        "{err:?}"
    );
}

/// Upstream compared the entry *without* the kernel offset with high memory: an image relocated
/// above high memory was rejected, and one relocated below it accepted.
#[test]
fn regression_highmem_checked_on_relocated_addresses() {
    let image = fixture("x86_64-linux.elf");
    let load = load_ok(
        &image,
        Some(GuestAddress(0x10_0000)),
        Some(GuestAddress(0x25_0000)),
    );
    assert_eq!(load.result.kernel_load, GuestAddress(0x30_0010));
}

/// Upstream copied `p_filesz` bytes and never zeroed `p_memsz - p_filesz`, leaving whatever
/// guest memory held in the kernel's BSS.
#[test]
fn regression_bss_zeroed_over_dirty_memory() {
    // `load_ok` loads into pattern-filled memory and compares all of it with the file's segment
    // bytes followed by zeros up to p_memsz.
    let load = load_ok(&fixture("x86_64-linux.elf"), None, None);
    assert_eq!(load.summary.zero_bytes, 0xf80);
    let load = load_ok(&fixture("i386.elf"), None, None);
    assert_eq!(load.summary.zero_bytes, 0x80);
}

/// Upstream skipped PT_LOAD segments with `p_filesz == 0` entirely: a pure-BSS segment was
/// neither zeroed nor counted in `kernel_end`.
#[test]
fn regression_pure_bss_segment_is_zeroed_and_counted() {
    let image = patch(
        &fixture("x86_64-linux.elf"),
        ph(1) + 32,
        &0u64.to_le_bytes(),
    );
    let load = load_ok(&image, None, None);
    assert_eq!(load.result.kernel_end, 0x20_2000);
    assert_eq!(load.summary.zero_bytes, 0x1000);
}

/// Upstream never compared `p_filesz` with `p_memsz`; it copied `p_filesz` bytes, past the
/// segment's memory.
#[test]
fn regression_filesz_greater_than_memsz_rejected() {
    let err = load_err(&fixture("filesz-gt-memsz.elf"), None, None);
    assert!(
        matches!(
            err,
            Error::FileSizeExceedsMemSize {
                index: 1,
                filesz: 0x80,
                memsz: 0x40
            }
        ),
        "{err:?}"
    );
}

/// A reader whose `seek(End)` claims more bytes than it returns.
struct LyingReader {
    inner: Cursor<Vec<u8>>,
    claimed_len: u64,
}

impl Read for LyingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl ReadVolatile for LyingReader {
    fn read_volatile<B: BitmapSlice>(
        &mut self,
        buf: &mut VolatileSlice<B>,
    ) -> Result<usize, VolatileMemoryError> {
        self.inner.read_volatile(buf)
    }
}

impl Seek for LyingReader {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match pos {
            SeekFrom::End(d) => {
                let at = self.claimed_len.checked_add_signed(d).unwrap();
                self.inner.seek(SeekFrom::Start(at))
            }
            other => self.inner.seek(other),
        }
    }
}

/// Runs a load on another thread and fails (instead of hanging) if it does not finish.
fn load_with_deadline(image: Vec<u8>, claimed_len: u64) -> Result<kernel_elf::ElfLoad, Error> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mem = mem();
        let mut reader = LyingReader {
            inner: Cursor::new(image),
            claimed_len,
        };
        let result = Elf::load_detailed(&mem, None, &mut reader, None);
        tx.send(result).unwrap();
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("load did not finish: looping on EOF?")
}

/// Upstream's bzImage loader looped forever on a short read (CVE-2022-23523 class); here a
/// reader that runs dry before its claimed length ends the load with an error.
#[test]
fn regression_eof_before_claimed_length_errors_instead_of_looping() {
    // Segment bytes: the data segment claims 0x10000 bytes the file does not have, and the
    // reader claims a length that covers them, so only the copy can notice.
    let image = fixture("segment-past-eof.elf");
    let len = image.len() as u64;
    let err = load_with_deadline(image, len + 0x1_0000).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Plan(loader_core::Error::SourceRead { index: 1, source, .. })
                if source.kind() == std::io::ErrorKind::UnexpectedEof
        ),
        "{err:?}"
    );

    // Header bytes: the reader claims 0x1000 bytes but holds 10.
    let image = fixture("x86_64-linux.elf")[..10].to_vec();
    let err = load_with_deadline(image, 0x1000).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Plan(loader_core::Error::Truncated {
                what: "ELF header",
                offset: 0,
                len: 64,
                available: 10
            })
        ),
        "{err:?}"
    );
}

/// The same image loads identically through a reader that tells the truth.
#[test]
fn regression_honest_reader_control() {
    let image = fixture("x86_64-linux.elf");
    let mem = mem();
    let before = snapshot(&mem);
    let mut reader = LyingReader {
        claimed_len: image.len() as u64,
        inner: Cursor::new(image.clone()),
    };
    Elf::load_detailed(&mem, None, &mut reader, None).unwrap();
    assert!(snapshot(&mem) == expected_memory(&before, 0, &image, 0));
}
