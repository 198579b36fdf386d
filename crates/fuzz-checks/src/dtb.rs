// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Device trees: validate, parse, patch `/chosen`, serialize, and write through the configurator.

use std::io::Cursor;

use boot_fdt::{Fdt, FdtBootConfigurator, PROP_BOOTARGS, PROP_RNG_SEED, validate};
use loader_core::GuestRange;
use loader_core::configurator::{BootConfigurator, BootParams};
use vm_memory::GuestAddress;

use crate::harness::{Harness, with_small};

/// Checks `data` as a DTB:
///
/// * `validate` and `Fdt::parse` accept exactly the same inputs, with the same error;
/// * a parsed tree serializes, the result parses back to an equal tree, and serializing that
///   gives the same bytes (a fixed point);
/// * patching `/chosen` (bootargs, initrd, rng-seed) survives a round trip;
/// * `FdtBootConfigurator` and `kernel_pe::load_dtb` write the bytes exactly when the input is a
///   valid DTB that fits (ending on the last byte of RAM included), and nothing otherwise.
pub fn check_dtb(data: &[u8]) {
    let info = validate(data);
    let parsed = Fdt::parse(data);
    match (&info, &parsed) {
        (Ok(info), Ok(_)) => assert!(
            info.totalsize as usize <= data.len(),
            "totalsize past input"
        ),
        (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "errors differ"),
        _ => panic!("validate {info:?} and parse {parsed:?} disagree"),
    }
    if let Ok(fdt) = &parsed {
        roundtrip(fdt);
        patch(fdt.clone());
    }
    with_small(|h| {
        write(h, data, info.is_ok());
    });
}

fn roundtrip(fdt: &Fdt) {
    let Ok(bytes) = fdt.to_bytes() else {
        // Serialization may refuse what it cannot write (a limit); it must not produce junk.
        return;
    };
    let back = Fdt::parse(&bytes).unwrap_or_else(|e| panic!("serialized tree does not parse: {e}"));
    assert_eq!(&back, fdt, "parse(serialize(x)) != x");
    let again = back.to_bytes().expect("a re-parsed tree serializes");
    assert_eq!(
        again, bytes,
        "serialize(parse(serialize(x))) != serialize(x)"
    );
}

fn patch(mut fdt: Fdt) {
    let mut chosen = fdt.chosen_mut();
    chosen
        .set_bootargs("console=ttyAMA0 root=/dev/vda")
        .expect("no NUL");
    chosen
        .set_initrd(0x4800_0000, 0x4900_0000)
        .expect("ordered");
    chosen.set_rng_seed(&[0x5a; 32]);
    let Ok(bytes) = fdt.to_bytes() else {
        return;
    };
    let back = Fdt::parse(&bytes).unwrap_or_else(|e| panic!("patched tree does not parse: {e}"));
    let chosen = back.chosen().expect("/chosen exists after patching");
    assert_eq!(
        chosen.property_str(PROP_BOOTARGS),
        Some("console=ttyAMA0 root=/dev/vda")
    );
    assert_eq!(chosen.property(PROP_RNG_SEED), Some(&[0x5a; 32][..]));
    assert_eq!(back, fdt, "patched tree round trip");
}

fn write(h: &Harness, data: &[u8], valid: bool) {
    let len = data.len() as u64;
    let region = h.regions()[0];
    let end = region.end_or_max();
    // At a fixed address, at the very end of RAM (8-byte aligned when possible), one byte
    // further, and straddling the hole.
    let last = end.saturating_sub(len);
    let mut addrs = vec![0x1000, last, last + 1, end - 8];
    if last % 8 != 0 {
        addrs.push(last & !7);
    }
    for addr in addrs {
        let at = GuestAddress(addr);
        let range = GuestRange::new(at, len);
        let fits = loader_core::fits_in_memory(h.mem(), range);
        let params = BootParams {
            header: data.to_vec(),
            ..BootParams::new(&0u8, at)
        };
        let ctx = format!("DTB {len:#x} bytes at {addr:#x} (valid {valid}, fits {fits})");
        let r = FdtBootConfigurator::write_bootparams(&params, h.mem());
        assert_eq!(r.is_ok(), valid && fits, "{ctx}: write_bootparams {r:?}");
        after(h, data, range, r.is_ok(), &ctx);
        let r = kernel_pe::load_dtb(h.mem(), at, &mut Cursor::new(data));
        let aligned = addr % 8 == 0;
        assert_eq!(r.is_ok(), valid && fits && aligned, "{ctx}: load_dtb {r:?}");
        after(h, data, range, r.is_ok(), &ctx);
    }
}

fn after(h: &Harness, data: &[u8], range: GuestRange, ok: bool, ctx: &str) {
    if ok {
        assert_eq!(h.read(range.start, range.len), data, "{ctx}: bytes written");
        h.assert_written_within(&[range], &ctx);
    } else {
        h.assert_untouched(&ctx);
    }
    h.restore();
}
