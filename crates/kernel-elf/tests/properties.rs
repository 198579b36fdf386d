// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Property: whatever bytes a valid image is mutated into, a load never panics, a rejected image
//! leaves guest memory byte-identical, and an accepted one leaves exactly its segments (plus
//! zeroed BSS) in memory.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

mod common;

use std::io::Cursor;

use common::{expected_memory, fixture, patterned, snapshot};
use kernel_elf::Elf;
use proptest::prelude::*;

const MEM_START: u64 = 0x20_0000;

fn check(image: &[u8]) {
    let mem = patterned(MEM_START, 0x3000);
    let before = snapshot(&mem);
    match Elf::load_detailed(&mem, None, &mut Cursor::new(image), None) {
        Ok(_) => assert!(snapshot(&mem) == expected_memory(&before, MEM_START, image, 0)),
        Err(e) => assert!(snapshot(&mem) == before, "memory changed on {e:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Byte mutations anywhere in the headers, the notes or the segments.
    #[test]
    fn mutated_pvh_image_is_loaded_exactly_or_rejected_cleanly(
        edits in prop::collection::vec((0usize..1264, any::<u8>()), 1..8)
    ) {
        let mut image = fixture("x86_64-pvh.elf");
        for (at, byte) in edits {
            image[at] = byte;
        }
        check(&image);
    }

    /// Mutations concentrated on the ELF header and program headers of the ELF32 image.
    #[test]
    fn mutated_i386_headers_are_loaded_exactly_or_rejected_cleanly(
        edits in prop::collection::vec((0usize..0x54, any::<u8>()), 1..4)
    ) {
        let mut image = fixture("i386.elf");
        for (at, byte) in edits {
            image[at] = byte;
        }
        // The i386 image loads at 0x100000, outside this memory: accepted headers fail in the
        // executor, which must also leave memory untouched.
        check(&image);
    }
}
