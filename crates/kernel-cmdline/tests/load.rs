// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `load_cmdline`: exact bounds, multiple regions, atomicity and every error.

#![cfg(feature = "vm-memory")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

use std::error::Error as _;
use std::ffi::{CStr, CString};

use kernel_cmdline::limits::MAX_CMDLINE_CAPACITY;
use kernel_cmdline::{Cmdline, Error, LoadError, load_cmdline};
use vm_memory::{
    Bytes, GuestAddress, GuestMemoryBackend, GuestMemoryError, GuestMemoryMmap, GuestRegionMmap,
};

type Mem = GuestMemoryMmap<()>;

const MEM_SIZE: u64 = 0x1_0000;
const PATTERN: u8 = 0xa5;

/// Memory filled with a pattern, so any write shows.
fn patterned(ranges: &[(u64, usize)]) -> Mem {
    let ranges: Vec<_> = ranges.iter().map(|&(a, l)| (GuestAddress(a), l)).collect();
    let mem = Mem::from_ranges(&ranges).unwrap();
    for region in mem.iter() {
        let len = vm_memory::GuestMemoryRegion::len(region) as usize;
        let start = vm_memory::GuestMemoryRegion::start_addr(region);
        mem.write_slice(&vec![PATTERN; len], start).unwrap();
    }
    mem
}

/// Every byte of every region.
fn snapshot(mem: &Mem) -> Vec<u8> {
    let mut all = Vec::new();
    for region in mem.iter() {
        let len = vm_memory::GuestMemoryRegion::len(region) as usize;
        let start = vm_memory::GuestMemoryRegion::start_addr(region);
        let mut buf = vec![0; len];
        mem.read_slice(&mut buf, start).unwrap();
        all.extend(buf);
    }
    all
}

fn read(mem: &Mem, addr: u64, len: usize) -> Vec<u8> {
    let mut buf = vec![0; len];
    mem.read_slice(&mut buf, GuestAddress(addr)).unwrap();
    buf
}

fn cmdline(text: &str) -> Cmdline {
    Cmdline::try_from(text, 100).unwrap()
}

#[test]
fn nul_on_the_last_byte_fits() {
    let mem = patterned(&[(0, MEM_SIZE as usize)]);
    let cl = cmdline("12345");
    load_cmdline(&mem, GuestAddress(MEM_SIZE - 6), &cl).unwrap();
    assert_eq!(read(&mem, MEM_SIZE - 7, 7), b"\xa512345\0");
}

#[test]
fn one_byte_past_the_end_overflows_and_writes_nothing() {
    let mem = patterned(&[(0, MEM_SIZE as usize)]);
    let before = snapshot(&mem);
    let cl = cmdline("12345");
    for addr in [
        MEM_SIZE - 5,
        MEM_SIZE - 1,
        MEM_SIZE,
        MEM_SIZE + 0x1000,
        u64::MAX - 2,
        u64::MAX,
    ] {
        match load_cmdline(&mem, GuestAddress(addr), &cl) {
            Err(LoadError::CommandLineOverflow { addr: a, len }) => {
                assert_eq!((a, len), (GuestAddress(addr), 6));
            }
            other => panic!("{addr:#x}: {other:?}"),
        }
    }
    assert_eq!(snapshot(&mem), before);
}

#[test]
fn spans_adjacent_regions() {
    let mem = patterned(&[(0, 0x1000), (0x1000, 0x1000)]);
    load_cmdline(&mem, GuestAddress(0xffc), c"console=ttyS0").unwrap();
    assert_eq!(read(&mem, 0xffc, 14), b"console=ttyS0\0");
}

#[test]
fn does_not_span_a_hole() {
    let mem = patterned(&[(0, 0x1000), (0x2000, 0x1000)]);
    let before = snapshot(&mem);
    match load_cmdline(&mem, GuestAddress(0xffc), c"console=ttyS0") {
        Err(LoadError::CommandLineOverflow { addr, len }) => {
            assert_eq!((addr, len), (GuestAddress(0xffc), 14));
        }
        other => panic!("{other:?}"),
    }
    // Starting in the hole fails too.
    match load_cmdline(&mem, GuestAddress(0x1800), c"a") {
        Err(LoadError::CommandLineOverflow { addr, len }) => {
            assert_eq!((addr, len), (GuestAddress(0x1800), 2));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(snapshot(&mem), before);
    load_cmdline(&mem, GuestAddress(0x2ffe), c"a").unwrap();
    assert_eq!(read(&mem, 0x2ffe, 2), b"a\0");
}

#[test]
fn empty_cmdline_writes_one_nul() {
    let mem = patterned(&[(0, MEM_SIZE as usize)]);
    load_cmdline(&mem, GuestAddress(45), &Cmdline::new(10).unwrap()).unwrap();
    assert_eq!(read(&mem, 45, 2), [0, PATTERN]);
    load_cmdline(&mem, GuestAddress(MEM_SIZE - 1), c"").unwrap();
    assert_eq!(read(&mem, MEM_SIZE - 1, 1), [0]);

    let mut cl = Cmdline::new(10).unwrap();
    cl.insert_str("123").unwrap();
    load_cmdline(&mem, GuestAddress(45), &cl).unwrap();
    assert_eq!(read(&mem, 45, 5), b"123\0\xa5");
}

#[test]
fn accepts_cmdline_cstr_and_cstring() {
    let mem = patterned(&[(0, MEM_SIZE as usize)]);
    let cl = cmdline("console=ttyS0 -- init");
    load_cmdline(&mem, GuestAddress(0x100), &cl).unwrap();
    assert_eq!(read(&mem, 0x100, 22), b"console=ttyS0 -- init\0");

    let owned = CString::new("reboot=k panic=1").unwrap();
    load_cmdline(&mem, GuestAddress(0x200), &owned).unwrap();
    assert_eq!(read(&mem, 0x200, 17), b"reboot=k panic=1\0");

    let borrowed: &CStr = owned.as_c_str();
    load_cmdline(&mem, GuestAddress(0x300), borrowed).unwrap();
    assert_eq!(read(&mem, 0x300, 17), b"reboot=k panic=1\0");

    // A C string is written byte for byte: surrounding spaces are kept.
    load_cmdline(&mem, GuestAddress(0x400), c" a  -- b ").unwrap();
    assert_eq!(read(&mem, 0x400, 10), b" a  -- b \0");
}

fn invalid(err: Result<(), LoadError>) -> Error {
    match err {
        Err(LoadError::InvalidCommandLine(e)) => e,
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_command_lines_write_nothing() {
    let mem = patterned(&[(0, MEM_SIZE as usize)]);
    let before = snapshot(&mem);
    let at = GuestAddress(0x100);

    let mut init_only = Cmdline::new(20).unwrap();
    init_only.insert_init_args("x").unwrap();
    assert_eq!(
        invalid(load_cmdline(&mem, at, &init_only)),
        Error::NoBootArgsInserted
    );
    assert_eq!(
        invalid(load_cmdline(&mem, at, c"console=ttyS0\n")),
        Error::ControlByte {
            offset: 13,
            value: b'\n'
        }
    );
    assert_eq!(
        invalid(load_cmdline(&mem, at, c"a\x1b[2J")),
        Error::ControlByte {
            offset: 1,
            value: 0x1b
        }
    );
    assert_eq!(
        invalid(load_cmdline(&mem, at, c"a=\xff")),
        Error::NonAscii {
            offset: 2,
            value: 0xff
        }
    );
    assert_eq!(
        invalid(load_cmdline(&mem, at, c"a=\"b")),
        Error::UnbalancedQuote { offset: 2 }
    );
    assert_eq!(
        invalid(load_cmdline(
            &mem,
            at,
            &CString::new("a -- b -- c").unwrap()
        )),
        Error::DuplicateSeparator { offset: 7 }
    );
    assert_eq!(
        invalid(load_cmdline(&mem, at, c"-- init")),
        Error::NoBootArgsInserted
    );
    let huge = CString::new(vec![b'a'; MAX_CMDLINE_CAPACITY]).unwrap();
    assert_eq!(invalid(load_cmdline(&mem, at, &huge)), Error::TooLarge);

    assert_eq!(snapshot(&mem), before);
}

#[test]
fn longest_c_string_is_accepted() {
    let mem = patterned(&[(0, MAX_CMDLINE_CAPACITY)]);
    let longest = CString::new(vec![b'a'; MAX_CMDLINE_CAPACITY - 1]).unwrap();
    load_cmdline(&mem, GuestAddress(0), &longest).unwrap();
    assert_eq!(read(&mem, MAX_CMDLINE_CAPACITY as u64 - 2, 2), b"a\0");
}

/// Memory whose range check always passes, so the write itself fails.
struct OptimisticMemory(Mem);

impl GuestMemoryBackend for OptimisticMemory {
    type R = GuestRegionMmap<()>;

    fn num_regions(&self) -> usize {
        self.0.num_regions()
    }

    fn find_region(&self, addr: GuestAddress) -> Option<&Self::R> {
        self.0.find_region(addr)
    }

    fn iter(&self) -> impl Iterator<Item = &Self::R> {
        self.0.iter()
    }

    fn check_range(&self, _base: GuestAddress, _len: usize) -> bool {
        true
    }
}

#[test]
fn failed_write_is_a_copy_error() {
    let mem = OptimisticMemory(patterned(&[(0, 0x1000)]));
    match load_cmdline(&mem, GuestAddress(0x2000), c"abc") {
        Err(err @ LoadError::CommandLineCopy { addr, len, .. }) => {
            assert_eq!((addr, len), (GuestAddress(0x2000), 4));
            assert!(err.source().unwrap().is::<GuestMemoryError>());
            assert_eq!(
                err.to_string(),
                "failed to write the 4-byte kernel command line at guest address 0x2000"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn error_messages() {
    let overflow = LoadError::CommandLineOverflow {
        addr: GuestAddress(0xfffa),
        len: 7,
    };
    assert_eq!(
        overflow.to_string(),
        "kernel command line of 7 bytes (NUL included) at guest address 0xfffa \
         does not fit in guest memory"
    );
    let invalid = LoadError::InvalidCommandLine(Error::UnbalancedQuote { offset: 2 });
    assert_eq!(
        invalid.to_string(),
        "invalid kernel command line: double quote at offset 2 is never closed"
    );
    assert_eq!(
        invalid.source().unwrap().to_string(),
        "double quote at offset 2 is never closed"
    );
}
