// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Device trees: validate == parse, serialize round trip, /chosen patching, configurator and load_dtb write exactly or nothing.
//! The invariants live in `fuzz_checks::check_dtb`, which the stable replay tests also run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_checks::check_dtb(data);
});
