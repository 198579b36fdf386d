// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Command lines: parse bytes, build from operations, parse(render(x)) == x, load_cmdline exact at the end of RAM.
//! The invariants live in `fuzz_checks::check_cmdline`, which the stable replay tests also run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_checks::check_cmdline(data);
});
