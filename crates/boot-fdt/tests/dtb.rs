// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Validation of the committed DTB fixtures, patch round trips, and the configurator's bounds.
//! Facts are read from each fixture's own header; configurator errors run against
//! pattern-filled guest memory and check that not one byte changed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

use boot_fdt::header::{FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_NOP, FDT_PROP};
use boot_fdt::limits::{MAX_DEPTH, MAX_DTB_SIZE};
use boot_fdt::{Error, Fdt, FdtBootConfigurator, Node, ReserveEntry, validate};
use loader_core::GuestRange;
use loader_core::configurator::{BootConfigurator, BootParams, Error as CfgError, fdt};
use proptest::prelude::*;
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/dtb/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn be32(b: &[u8], off: usize) -> u32 {
    u32::from_be_bytes(b[off..off + 4].try_into().unwrap())
}

/// Header field `n` (0 = magic, 1 = totalsize, ...).
fn hdr(b: &[u8], n: usize) -> u32 {
    be32(b, n * 4)
}

fn struct_block(b: &[u8]) -> &[u8] {
    let off = hdr(b, 2) as usize;
    &b[off..off + hdr(b, 9) as usize]
}

/// Byte ranges (within the struct block) of each node, by path, found by walking tokens.
fn node_ranges(b: &[u8]) -> Vec<(String, std::ops::Range<usize>)> {
    let s = struct_block(b);
    let mut out = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut pos = 0;
    loop {
        let token = be32(s, pos);
        let start = pos;
        pos += 4;
        match token {
            FDT_BEGIN_NODE => {
                let nul = s[pos..].iter().position(|&c| c == 0).unwrap();
                let name = std::str::from_utf8(&s[pos..pos + nul]).unwrap();
                let path = match stack.last() {
                    None => "/".to_owned(),
                    Some((p, _)) if p == "/" => format!("/{name}"),
                    Some((p, _)) => format!("{p}/{name}"),
                };
                stack.push((path, start));
                pos = (pos + nul + 1 + 3) & !3;
            }
            FDT_END_NODE => {
                let (path, begin) = stack.pop().unwrap();
                out.push((path, begin..pos));
            }
            FDT_PROP => {
                let len = be32(s, pos) as usize;
                pos = (pos + 8 + len + 3) & !3;
            }
            FDT_NOP => {}
            FDT_END => return out,
            t => panic!("token {t:#x}"),
        }
    }
}

/// `b` with every padding byte of its structure block zeroed. The specification asks for zeroed
/// padding, and our writer emits zeroes; libfdt's in-place edits (QEMU builds its DTB that way)
/// leave stale bytes there, which no reader looks at.
fn zero_padding(b: &[u8]) -> Vec<u8> {
    let mut out = b.to_vec();
    let base = hdr(b, 2) as usize;
    let s = struct_block(b);
    let mut pos = 0;
    loop {
        let token = be32(s, pos);
        pos += 4;
        let end = match token {
            FDT_BEGIN_NODE => pos + s[pos..].iter().position(|&c| c == 0).unwrap() + 1,
            FDT_PROP => pos + 8 + be32(s, pos) as usize,
            FDT_END => return out,
            _ => continue,
        };
        let aligned = (end + 3) & !3;
        out[base + end..base + aligned].fill(0);
        pos = aligned;
    }
}

fn range_of<'a>(
    ranges: &'a [(String, std::ops::Range<usize>)],
    path: &str,
) -> &'a std::ops::Range<usize> {
    &ranges.iter().find(|(p, _)| p == path).unwrap().1
}

#[test]
fn minimal_fixture_parses() {
    let blob = fixture("minimal.dtb");
    let info = validate(&blob).unwrap();
    assert_eq!(info.totalsize, hdr(&blob, 1));
    assert_eq!(info.totalsize as usize, blob.len());
    assert_eq!(
        (info.version, info.last_comp_version),
        (hdr(&blob, 5), hdr(&blob, 6))
    );
    let fdt = Fdt::parse(&blob).unwrap();
    assert_eq!(fdt.root.property_u32("#address-cells"), Some(2));
    assert_eq!(fdt.root.property_u32("#size-cells"), Some(2));
    assert_eq!(
        fdt.chosen().unwrap().property_str("bootargs"),
        Some("console=ttyS0")
    );
    let memory = fdt.node("/memory").unwrap();
    assert_eq!(memory.name, "memory@40000000");
    assert_eq!(memory.property_str("device_type"), Some("memory"));
    assert!(fdt.reserve_map.is_empty());
    assert_eq!(info.nodes, 3);
}

#[test]
fn unmodified_round_trip_is_byte_identical() {
    let blob = fixture("minimal.dtb");
    let out = Fdt::parse(&blob).unwrap().to_bytes().unwrap();
    assert_eq!(struct_block(&out), struct_block(&blob));
    assert_eq!(
        out, blob,
        "dtc-style layout: header, rsvmap, struct, strings"
    );
}

#[test]
fn each_broken_fixture_has_its_error() {
    let b = fixture("bad-magic.dtb");
    assert_eq!(validate(&b), Err(Error::BadMagic { found: hdr(&b, 0) }));
    assert_eq!(hdr(&b, 0), 0xd00d_feee);

    let b = fixture("totalsize-past-eof.dtb");
    assert_eq!(
        validate(&b),
        Err(Error::TotalSizePastEnd {
            totalsize: u64::from(hdr(&b, 1)),
            len: b.len() as u64
        })
    );

    let b = fixture("bad-version.dtb");
    assert_eq!(
        validate(&b),
        Err(Error::UnsupportedVersion {
            version: hdr(&b, 5),
            last_comp_version: hdr(&b, 6)
        })
    );

    let b = fixture("struct-out-of-range.dtb");
    assert_eq!(
        validate(&b),
        Err(Error::StructBlockOutOfRange {
            offset: u64::from(hdr(&b, 2)),
            size: u64::from(hdr(&b, 9)),
            totalsize: u64::from(hdr(&b, 1)),
        })
    );

    let b = fixture("unterminated-node.dtb");
    assert_eq!(
        validate(&b),
        Err(Error::UnterminatedNode {
            offset: u64::from(hdr(&b, 2) + hdr(&b, 9)),
            depth: 1
        })
    );

    let b = fixture("bad-string-offset.dtb");
    let err = validate(&b).unwrap_err();
    let Error::BadStringOffset { offset, nameoff } = err else {
        panic!("{err:?}")
    };
    assert_eq!(nameoff, u64::from(hdr(&b, 8)) + 0x100);
    // The offending property is /chosen's (bootargs).
    let ranges = node_ranges(&fixture("minimal.dtb"));
    let chosen = range_of(&ranges, "/chosen");
    let rel = offset as usize - hdr(&b, 2) as usize;
    assert!(chosen.contains(&rel), "{offset:#x} not in /chosen");
    assert_eq!(be32(&b, offset as usize), FDT_PROP);
}

#[test]
fn header_truncation_and_limits() {
    let blob = fixture("minimal.dtb");
    assert_eq!(
        validate(&[]),
        Err(Error::HeaderTruncated { len: 0, needed: 40 })
    );
    assert_eq!(
        validate(&blob[..20]),
        Err(Error::HeaderTruncated {
            len: 20,
            needed: 40
        })
    );
    let mut big = blob.clone();
    big[4..8].copy_from_slice(&(MAX_DTB_SIZE as u32 + 1).to_be_bytes());
    assert_eq!(
        validate(&big),
        Err(Error::TooLarge {
            size: MAX_DTB_SIZE as u64 + 1,
            max: MAX_DTB_SIZE as u64
        })
    );
    let mut small = blob.clone();
    small[4..8].copy_from_slice(&0x10u32.to_be_bytes());
    assert_eq!(
        validate(&small),
        Err(Error::TotalSizeTooSmall {
            totalsize: 0x10,
            header_size: 40
        })
    );
    let mut rsv = blob.clone();
    rsv[16..20].copy_from_slice(&0x2cu32.to_be_bytes()); // misaligned
    assert_eq!(
        validate(&rsv),
        Err(Error::ReserveMapOutOfRange {
            offset: 0x2c,
            totalsize: blob.len() as u64
        })
    );
    let mut strings = blob.clone();
    strings[32..36].copy_from_slice(&0x1000u32.to_be_bytes());
    assert!(matches!(
        validate(&strings),
        Err(Error::StringsBlockOutOfRange { size: 0x1000, .. })
    ));
    // An unknown token right after the root's name.
    let mut tok = blob.clone();
    let at = hdr(&blob, 2) as usize + 8;
    tok[at..at + 4].copy_from_slice(&7u32.to_be_bytes());
    assert_eq!(
        validate(&tok),
        Err(Error::UnexpectedToken {
            offset: at as u64,
            token: 7
        })
    );
}

#[test]
fn depth_limit_is_enforced() {
    let mut fdt = Fdt::new();
    let mut deep = Node::new("n");
    for _ in 0..MAX_DEPTH - 2 {
        let mut parent = Node::new("n");
        parent.children.push(deep);
        deep = parent;
    }
    fdt.root.children.push(deep);
    let ok = fdt.to_bytes().unwrap();
    assert_eq!(Fdt::parse(&ok).unwrap(), fdt);
    // Hand-extend the blob one level deeper: wrap the root's only child in one more node.
    let first = hdr(&ok, 2) as usize + 8; // after the root's BEGIN_NODE and empty name
    let mut deeper = ok[..first].to_vec();
    deeper.extend_from_slice(&FDT_BEGIN_NODE.to_be_bytes());
    deeper.extend_from_slice(b"n\0\0\0");
    let struct_end = hdr(&ok, 2) as usize + hdr(&ok, 9) as usize;
    deeper.extend_from_slice(&ok[first..struct_end - 8]);
    deeper.extend_from_slice(&FDT_END_NODE.to_be_bytes());
    deeper.extend_from_slice(&ok[struct_end - 8..]);
    let add = 12u32;
    for (field, delta) in [(1, add), (3, add), (9, add)] {
        let v = hdr(&deeper, field) + delta;
        deeper[field * 4..field * 4 + 4].copy_from_slice(&v.to_be_bytes());
    }
    assert!(matches!(
        validate(&deeper),
        Err(Error::DepthLimit { max: MAX_DEPTH, .. })
    ));
}

#[test]
fn chosen_patch_round_trip_keeps_other_nodes_byte_equal() {
    let blob = fixture("minimal.dtb");
    let mut fdt = Fdt::parse(&blob).unwrap();
    let mut chosen = fdt.chosen_mut();
    chosen
        .set_bootargs("console=ttyAMA0 earlycon root=/dev/vda")
        .unwrap();
    chosen.set_initrd(0x4800_0000, 0x4812_3456).unwrap();
    chosen.set_rng_seed(&[0xab; 64]);
    chosen.set_stdout_path("/pl011@9000000").unwrap();
    let out = fdt.to_bytes().unwrap();

    let back = Fdt::parse(&out).unwrap();
    assert_eq!(back, fdt);
    let c = back.chosen().unwrap();
    assert_eq!(
        c.property_str("bootargs"),
        Some("console=ttyAMA0 earlycon root=/dev/vda")
    );
    assert_eq!(
        c.property("linux,initrd-start"),
        Some(&0x4800_0000u64.to_be_bytes()[..])
    );
    assert_eq!(
        c.property("linux,initrd-end"),
        Some(&0x4812_3456u64.to_be_bytes()[..])
    );
    assert_eq!(c.property("rng-seed"), Some(&[0xab; 64][..]));
    assert_eq!(c.property_str("stdout-path"), Some("/pl011@9000000"));

    // Everything outside /chosen is byte-equal: the bytes before it, and the nodes after it.
    let (old, new) = (node_ranges(&blob), node_ranges(&out));
    let (old_c, new_c) = (range_of(&old, "/chosen"), range_of(&new, "/chosen"));
    assert_eq!(old_c.start, new_c.start);
    assert_eq!(
        struct_block(&out)[..new_c.start],
        struct_block(&blob)[..old_c.start]
    );
    let (old_m, new_m) = (
        range_of(&old, "/memory@40000000"),
        range_of(&new, "/memory@40000000"),
    );
    assert_eq!(
        struct_block(&out)[new_m.clone()],
        struct_block(&blob)[old_m.clone()]
    );
    // The old strings block is a prefix of the new one: only new names were appended.
    let strings = |b: &[u8]| {
        let off = hdr(b, 3) as usize;
        b[off..off + hdr(b, 8) as usize].to_vec()
    };
    assert!(strings(&out).starts_with(&strings(&blob)));
    assert!(fdt.to_bytes().unwrap().len() <= MAX_DTB_SIZE);
}

#[test]
fn chosen_is_created_when_absent_and_errors_change_nothing() {
    let mut fdt = Fdt::new();
    assert!(fdt.chosen().is_none());
    let before = fdt.clone();
    assert_eq!(
        fdt.chosen_mut().set_bootargs("a\0b"),
        Err(Error::InteriorNul {
            property: "bootargs"
        })
    );
    assert_eq!(
        fdt.chosen_mut().set_stdout_path("x\0"),
        Err(Error::InteriorNul {
            property: "stdout-path"
        })
    );
    assert_eq!(
        fdt.chosen_mut().set_initrd(10, 9),
        Err(Error::BadInitrdRange { start: 10, end: 9 })
    );
    assert_eq!(
        fdt.chosen_mut()
            .set_initrd_range(GuestRange::new(GuestAddress(u64::MAX), 2)),
        Err(Error::BadInitrdRange {
            start: u64::MAX,
            end: u64::MAX
        })
    );
    // The failed setters created an empty /chosen and nothing else.
    let mut expected = before;
    expected.root.children.push(Node::new("chosen"));
    assert_eq!(fdt, expected);
    fdt.chosen_mut().set_initrd(1, 2).unwrap();
    fdt.chosen_mut().clear_initrd();
    assert_eq!(fdt, expected);
}

#[test]
fn set_memory_replaces_memory_nodes() {
    let blob = fixture("minimal.dtb");
    let mut fdt = Fdt::parse(&blob).unwrap();
    let regions = [
        GuestRange::new(GuestAddress(0x4000_0000), 0x8000_0000),
        GuestRange::new(GuestAddress(0x1_0000_0000), 0x4000_0000),
    ];
    fdt.set_memory(&regions).unwrap();
    let back = Fdt::parse(&fdt.to_bytes().unwrap()).unwrap();
    let names: Vec<&str> = back.root.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["chosen", "memory@40000000", "memory@100000000"]);
    let reg = back
        .node("/memory@100000000")
        .unwrap()
        .property("reg")
        .unwrap();
    let mut expect = Vec::new();
    for v in [0x1_0000_0000u64, 0x4000_0000] {
        expect.extend_from_slice(&v.to_be_bytes());
    }
    assert_eq!(reg, &expect[..]);

    // One-cell addresses cannot hold 4 GiB and above; the tree is left as it was.
    let mut fdt = Fdt::parse(&blob).unwrap();
    fdt.root.set_property("#address-cells", 1u32.to_be_bytes());
    let before = fdt.clone();
    assert_eq!(
        fdt.set_memory(&regions),
        Err(Error::CellOverflow {
            value: 0x1_0000_0000,
            cells: 1
        })
    );
    assert_eq!(fdt, before);
    fdt.root.set_property("#size-cells", 3u32.to_be_bytes());
    assert_eq!(
        fdt.set_memory(&regions),
        Err(Error::UnsupportedCells {
            address_cells: 1,
            size_cells: 3
        })
    );
}

/// QEMU's own `virt` DTB (`-M virt,dumpdtb=`), generated at test time: 1 MiB of mostly padding,
/// too big to commit. Without `qemu-system-aarch64` the test skips loudly, and fails under
/// `CI=true`.
#[test]
fn qemu_virt_dtb_round_trips_and_patches() {
    let dir = std::env::temp_dir().join(format!("boot-fdt-qemu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("virt.dtb");
    let status = std::process::Command::new("qemu-system-aarch64")
        .args(["-M", "virt", "-cpu", "cortex-a57", "-nographic", "-M"])
        .arg(format!("virt,dumpdtb={}", path.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        let msg = "qemu-system-aarch64 is not available (apt-get install qemu-system-arm)";
        assert!(!test_kernels::in_ci(), "CI=true and {msg}");
        eprintln!("SKIPPED (QEMU DTB test): {msg}");
        return;
    }
    let blob = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let info = validate(&blob).unwrap();
    assert!(info.nodes > 10, "{info:?}");

    // Unmodified: the structure and strings blocks come back byte-identical, except that stale
    // padding bytes left by libfdt come back as the zeroes the specification asks for.
    let raw = blob;
    let blob = zero_padding(&raw);
    assert_ne!(
        raw, blob,
        "QEMU's blob has non-zero padding (if not, this test needs no helper)"
    );
    let fdt = Fdt::parse(&raw).unwrap();
    assert_eq!(
        Fdt::parse(&blob).unwrap(),
        fdt,
        "padding carries no information"
    );
    let out = fdt.to_bytes().unwrap();
    assert_eq!(struct_block(&out), struct_block(&blob));
    let strings = |b: &[u8]| {
        let off = hdr(b, 3) as usize;
        b[off..off + hdr(b, 8) as usize].to_vec()
    };
    assert_eq!(strings(&out), strings(&blob));
    assert_eq!(Fdt::parse(&out).unwrap(), fdt);

    // Patched /chosen: every other node keeps its bytes.
    let mut patched = fdt.clone();
    let mut chosen = patched.chosen_mut();
    chosen.set_bootargs("console=ttyAMA0 earlycon").unwrap();
    chosen.set_initrd(0x4800_0000, 0x4810_0000).unwrap();
    chosen.set_rng_seed(&[7; 32]);
    let out = patched.to_bytes().unwrap();
    let back = Fdt::parse(&out).unwrap();
    assert_eq!(back, patched);
    assert_eq!(
        back.chosen().unwrap().property_str("bootargs"),
        Some("console=ttyAMA0 earlycon")
    );
    let (old, new) = (node_ranges(&blob), node_ranges(&out));
    let mut compared = 0;
    for (path, r) in &old {
        if path == "/" || path == "/chosen" || path.starts_with("/chosen/") {
            continue;
        }
        let nr = range_of(&new, path);
        assert_eq!(
            struct_block(&out)[nr.clone()],
            struct_block(&blob)[r.clone()],
            "{path}"
        );
        compared += 1;
    }
    assert!(compared > 10);
}

const MEM_LEN: u64 = 0x1_0000;

fn pattern(addr: u64) -> u8 {
    (addr as u8) ^ 0x5a
}

fn mem() -> GuestMemoryMmap {
    let m = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), MEM_LEN as usize)]).unwrap();
    let bytes: Vec<u8> = (0..MEM_LEN).map(pattern).collect();
    m.write_slice(&bytes, GuestAddress(0)).unwrap();
    m
}

fn assert_pristine(m: &GuestMemoryMmap) {
    let mut buf = vec![0u8; MEM_LEN as usize];
    m.read_slice(&mut buf, GuestAddress(0)).unwrap();
    let expected: Vec<u8> = (0..MEM_LEN).map(pattern).collect();
    assert!(buf == expected, "guest memory modified");
}

fn params(bytes: Vec<u8>, addr: u64) -> BootParams {
    BootParams {
        header: bytes,
        header_start: GuestAddress(addr),
        sections: None,
        sections_start: None,
        modules: None,
        modules_start: None,
    }
}

#[test]
fn configurator_exact_bounds() {
    let blob = fixture("minimal.dtb");
    let len = blob.len() as u64;
    let m = mem();
    // One byte past the end of RAM: rejected, nothing written.
    let e = FdtBootConfigurator::write_bootparams(&params(blob.clone(), MEM_LEN - len + 1), &m);
    assert_eq!(e, Err(CfgError::Fdt(fdt::Error::FDTPastRamEnd)));
    assert_pristine(&m);
    let e = FdtBootConfigurator::write_bootparams(&params(blob.clone(), u64::MAX), &m);
    assert_eq!(e, Err(CfgError::Fdt(fdt::Error::FDTPastRamEnd)));
    assert_pristine(&m);
    // Ending exactly on the last byte of RAM: accepted (upstream was off by one here).
    FdtBootConfigurator::write_bootparams(&params(blob.clone(), MEM_LEN - len), &m).unwrap();
    let mut back = vec![0u8; blob.len()];
    m.read_slice(&mut back, GuestAddress(MEM_LEN - len))
        .unwrap();
    assert_eq!(back, blob);
}

#[test]
fn regression_configurator_refuses_a_non_dtb() {
    // Upstream copied whatever bytes it was given; the kernel then failed without a word.
    let m = mem();
    for bad in [
        "bad-magic.dtb",
        "totalsize-past-eof.dtb",
        "unterminated-node.dtb",
    ] {
        let e = FdtBootConfigurator::write_bootparams(&params(fixture(bad), 0x1000), &m);
        assert_eq!(e, Err(CfgError::Fdt(fdt::Error::InvalidFdt)), "{bad}");
        assert_pristine(&m);
    }
    let e = FdtBootConfigurator::write_bootparams(&params(vec![0u8; 64], 0x1000), &m);
    assert_eq!(e, Err(CfgError::Fdt(fdt::Error::InvalidFdt)));
    assert_pristine(&m);
}

#[test]
fn configurator_validated_write() {
    let m = mem();
    let e = FdtBootConfigurator::write_validated(&params(fixture("bad-magic.dtb"), 0x1000), &m);
    assert_eq!(e, Err(Error::BadMagic { found: 0xd00d_feee }));
    assert_pristine(&m);
    let blob = fixture("minimal.dtb");
    let e = FdtBootConfigurator::write_validated(&params(blob.clone(), MEM_LEN - 8), &m);
    assert_eq!(
        e,
        Err(Error::Configurator(CfgError::Fdt(
            fdt::Error::FDTPastRamEnd
        )))
    );
    assert_pristine(&m);
    let info = FdtBootConfigurator::write_validated(&params(blob.clone(), 0x1000), &m).unwrap();
    assert_eq!(info.totalsize as usize, blob.len());
    let mut back = vec![0u8; blob.len()];
    m.read_slice(&mut back, GuestAddress(0x1000)).unwrap();
    assert_eq!(back, blob);
}

fn arb_name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9,._+-]{0,10}(@[0-9a-f]{1,8})?"
}

fn arb_prop_name() -> impl Strategy<Value = String> {
    "[a-z#][a-z0-9,._+?#-]{0,12}"
}

fn arb_node(depth: u32) -> BoxedStrategy<Node> {
    let props = || {
        proptest::collection::vec(
            (
                arb_prop_name(),
                proptest::collection::vec(any::<u8>(), 0..24),
            ),
            0..5,
        )
    };
    let leaf = (arb_name(), props()).prop_map(|(name, props)| {
        let mut n = Node::new(name);
        for (k, v) in props {
            n.properties.push(boot_fdt::Property { name: k, value: v });
        }
        n
    });
    if depth == 0 {
        return leaf.boxed();
    }
    (
        arb_name(),
        props(),
        proptest::collection::vec(arb_node(depth - 1), 0..4),
    )
        .prop_map(|(name, props, children)| {
            let mut n = Node::new(name);
            for (k, v) in props {
                n.properties.push(boot_fdt::Property { name: k, value: v });
            }
            n.children = children;
            n
        })
        .boxed()
}

fn arb_fdt() -> impl Strategy<Value = Fdt> {
    (
        arb_node(3),
        any::<u32>(),
        proptest::collection::vec((1u64.., any::<u64>()), 0..4),
    )
        .prop_map(|(mut root, cpu, rsv)| {
            root.name = String::new();
            let mut fdt = Fdt::new();
            fdt.root = root;
            fdt.boot_cpuid_phys = cpu;
            fdt.reserve_map = rsv
                .into_iter()
                .map(|(address, size)| ReserveEntry { address, size })
                .collect();
            fdt
        })
}

proptest! {
    /// parse(serialize(x)) == x, and serializing again gives the same bytes.
    #[test]
    fn serialize_parse_round_trip(fdt in arb_fdt()) {
        let blob = fdt.to_bytes().unwrap();
        let back = Fdt::parse(&blob).unwrap();
        prop_assert_eq!(&back, &fdt);
        prop_assert_eq!(back.to_bytes().unwrap(), blob);
    }

    /// Arbitrary corruption of a valid blob never panics; anything accepted re-serializes to a
    /// blob that parses to the same tree.
    #[test]
    fn corrupted_blobs_never_panic(edits in proptest::collection::vec((0usize..311, any::<u8>()), 1..8)) {
        let mut blob = fixture("minimal.dtb");
        for (at, v) in edits {
            let i = at % blob.len();
            blob[i] = v;
        }
        if let Ok(fdt) = Fdt::parse(&blob) {
            let out = fdt.to_bytes().unwrap();
            prop_assert_eq!(Fdt::parse(&out).unwrap(), fdt);
        }
    }

    /// Every truncation of a valid blob is rejected, naming the header or the totalsize.
    #[test]
    fn truncations_are_rejected(len in 0usize..311) {
        let blob = fixture("minimal.dtb");
        let expected = if len < 40 {
            Error::HeaderTruncated { len: len as u64, needed: 40 }
        } else {
            Error::TotalSizePastEnd { totalsize: blob.len() as u64, len: len as u64 }
        };
        prop_assert_eq!(validate(&blob[..len]), Err(expected));
    }
}
