// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! ELF vmlinux: load with several offsets and highmem starts; Ok stays inside memory and the file and writes exactly the plan, Err writes nothing.
//! The invariants live in `fuzz_checks::check_elf`, which the stable replay tests also run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_checks::check_elf(data);
});
