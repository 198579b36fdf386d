// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! x86 e820 builder, layout planner, layout writer and Linux configurator on decoded memory maps and options.
//! The invariants live in `fuzz_checks::check_e820_layout`, which the stable replay tests also run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_checks::check_e820_layout(data);
});
