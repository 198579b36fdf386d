// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! x86 bzImage: header parse, placement checks and the protected-mode load; Ok writes exactly syssize*16 bytes at the load address, Err writes nothing.
//! The invariants live in `fuzz_checks::check_bzimage`, which the stable replay tests also run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_checks::check_bzimage(data);
});
