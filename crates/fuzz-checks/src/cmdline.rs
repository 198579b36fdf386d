// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Command lines: parse arbitrary bytes, build from arbitrary operations, load into memory.

use std::ffi::CStr;

use kernel_cmdline::{Cmdline, load_cmdline};
use vm_memory::GuestAddress;

use crate::harness::{Harness, with_small};
use crate::input::Input;

/// Checks `data` three ways:
///
/// * **parse**: as text, `Cmdline::try_from` accepts only printable ASCII (no NUL, no control
///   byte), and what it accepts renders to a line that parses back to the same `Cmdline`;
/// * **build**: as a stream of builder operations, every operation either fails and leaves the
///   command line unchanged, or succeeds and keeps it within capacity and round-tripping;
/// * **load**: `load_cmdline` of the parsed line, or of the raw bytes up to the first NUL as a
///   `CStr`, writes exactly the line and its NUL when it fits (ending on the last byte of RAM
///   included), and nothing otherwise.
pub fn check_cmdline(data: &[u8]) {
    with_small(|h| {
        check_parse(h, data);
        h.restore();
        check_build(data);
    });
}

/// Renders `cl`, parses the rendering back, and asserts both agree.
fn assert_roundtrip(cl: &Cmdline, ctx: &dyn std::fmt::Debug) {
    let Ok(rendered) = cl.as_cstring() else {
        // Only init arguments: not renderable (upstream's NoBootArgsInserted).
        assert!(
            cl.boot_args().is_empty(),
            "{ctx:?}: unrenderable with boot args"
        );
        return;
    };
    let bytes = rendered.as_bytes();
    assert!(
        bytes.len() < cl.capacity(),
        "{ctx:?}: {} bytes + NUL exceed capacity {}",
        bytes.len(),
        cl.capacity()
    );
    assert_eq!(
        bytes.len(),
        cl.len(),
        "{ctx:?}: len() disagrees with the rendering"
    );
    assert!(
        bytes.iter().all(|b| (0x20..0x7f).contains(b)),
        "{ctx:?}: rendering holds a control or non-ASCII byte: {bytes:?}"
    );
    let text = rendered.to_str().expect("ASCII");
    let back = Cmdline::try_from(text, cl.capacity())
        .unwrap_or_else(|e| panic!("{ctx:?}: rendering {text:?} does not parse: {e}"));
    assert_eq!(&back, cl, "{ctx:?}: parse(render(x)) != x for {text:?}");
    assert_eq!(
        back.as_cstring().ok().as_deref(),
        Some(rendered.as_c_str()),
        "{ctx:?}"
    );
}

fn check_parse(h: &Harness, data: &[u8]) {
    let end = h.regions()[0].end_or_max();
    if let Ok(text) = std::str::from_utf8(data) {
        for capacity in [data.len() + 1, 4096] {
            let Ok(cl) = Cmdline::try_from(text, capacity) else {
                continue;
            };
            let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
            assert!(
                trimmed.bytes().all(|b| (0x20..0x7f).contains(&b)),
                "parse accepted a control or non-ASCII byte: {text:?}"
            );
            assert_roundtrip(&cl, &format_args!("parse {text:?}"));
            if let Ok(rendered) = cl.as_cstring() {
                let n = rendered.as_bytes_with_nul().len() as u64;
                // Exactly fitting at the end of RAM, then one byte too far.
                let at = GuestAddress(end - n);
                load_cmdline(h.mem(), at, &cl).expect("a line ending on the last byte fits");
                assert_eq!(h.read(at, n), rendered.as_bytes_with_nul(), "loaded bytes");
                h.assert_written_within(&[loader_core::GuestRange::new(at, n)], &"load_cmdline");
                h.restore();
                let r = load_cmdline(h.mem(), GuestAddress(end - n + 1), &cl);
                assert!(
                    matches!(
                        r,
                        Err(kernel_cmdline::LoadError::CommandLineOverflow { .. })
                    ),
                    "one byte past RAM: {r:?}"
                );
                h.assert_untouched(&"load_cmdline past RAM");
            }
        }
    }
    // Raw bytes as a CStr, the other thing load_cmdline takes: control bytes must be refused.
    if let Ok(cstr) = CStr::from_bytes_until_nul(data) {
        let bytes = cstr.to_bytes();
        let n = bytes.len() as u64 + 1;
        let at = GuestAddress(0x1000);
        match load_cmdline(h.mem(), at, cstr) {
            Ok(()) => {
                assert!(
                    bytes.iter().all(|b| (0x20..0x7f).contains(b)),
                    "load_cmdline accepted a control or non-ASCII byte: {bytes:?}"
                );
                assert_eq!(h.read(at, n), cstr.to_bytes_with_nul(), "loaded bytes");
                h.assert_written_within(&[loader_core::GuestRange::new(at, n)], &"CStr");
            }
            Err(e) => h.assert_untouched(&format_args!("load_cmdline(CStr): {e}")),
        }
    }
}

/// Up to 32 bytes of text (lossy UTF-8, so control bytes and quotes come through).
fn text(input: &mut Input<'_>) -> String {
    String::from_utf8_lossy(input.bytes(32)).into_owned()
}

fn check_build(data: &[u8]) {
    let mut input = Input::new(data);
    let capacity = usize::from(input.u16() % 600);
    let mut cl = match Cmdline::new(capacity) {
        Ok(cl) => cl,
        Err(_) => {
            assert!(
                capacity == 0 || capacity > kernel_cmdline::limits::MAX_CMDLINE_CAPACITY,
                "Cmdline::new({capacity}) refused"
            );
            return;
        }
    };
    let mut ops = 0;
    while !input.is_empty() && ops < 64 {
        ops += 1;
        let before = cl.clone();
        let before_text = cl.as_cstring().ok();
        let op = input.u8() % 7;
        let (what, r) = match op {
            0 => {
                let (k, v) = (text(&mut input), text(&mut input));
                (format!("insert({k:?}, {v:?})"), cl.insert(k, v))
            }
            1 => {
                let k = text(&mut input);
                let n = input.u8() % 4;
                let vals: Vec<String> = (0..n).map(|_| text(&mut input)).collect();
                (
                    format!("insert_multiple({k:?}, {vals:?})"),
                    cl.insert_multiple(k, &vals),
                )
            }
            2 => {
                let s = text(&mut input);
                (format!("insert_str({s:?})"), cl.insert_str(&s))
            }
            3 => {
                let s = text(&mut input);
                (format!("insert_init_args({s:?})"), cl.insert_init_args(&s))
            }
            4 => {
                let (size, base, irq) = (input.u64(), input.u64(), input.u32());
                let id = input.bool().then(|| input.u32());
                (
                    format!("add_virtio_mmio_device({size:#x}, {base:#x}, {irq}, {id:?})"),
                    cl.add_virtio_mmio_device(size, base, irq, id),
                )
            }
            5 => {
                let k = text(&mut input);
                let n = cl.remove(&k);
                (format!("remove({k:?}) = {n}"), Ok(()))
            }
            _ => {
                let s = text(&mut input);
                let parsed = Cmdline::try_from(&s, capacity.max(1));
                if let Ok(p) = &parsed {
                    assert_roundtrip(p, &format_args!("try_from({s:?})"));
                }
                (format!("try_from({s:?})"), Ok(()))
            }
        };
        match r {
            Err(e) => {
                assert_eq!(
                    cl, before,
                    "{what} failed ({e}) but changed the command line"
                );
                assert_eq!(
                    cl.as_cstring().ok(),
                    before_text,
                    "{what} failed but changed it"
                );
            }
            Ok(()) => assert_roundtrip(&cl, &format_args!("after {what}")),
        }
    }
}
