// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! A counting global allocator: how many heap bytes a piece of code has live at its peak.
//!
//! Counters are per thread, so tests running in parallel do not see each other's allocations.
//! Memory freed on another thread than the one that allocated it is counted on the freeing
//! thread; loads do not hand allocations across threads, so peaks measured around a load are
//! exact.

// The one unsafe item of this test-only crate: a `GlobalAlloc` impl has to be `unsafe impl`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    /// Bytes allocated minus bytes freed by this thread. Signed: a thread that frees memory
    /// another thread allocated goes below zero, and the peak comparison must still hold.
    static LIVE: Cell<i64> = const { Cell::new(0) };
    /// The highest `LIVE` seen since the last [`measure`] began.
    static PEAK: Cell<i64> = const { Cell::new(0) };
}

fn bytes(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn grow(n: usize) {
    // `try_with`: no panic from the allocator even while thread-locals are torn down. These
    // cells are const-initialised and have no destructor, so access never allocates.
    let _ = LIVE.try_with(|live| {
        let now = live.get().saturating_add(bytes(n));
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

fn shrink(n: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes(n))));
}

/// The system allocator, plus per-thread byte counts.
#[derive(Debug)]
pub struct CountingAlloc;

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract holds exactly as it does for `System`; the bookkeeping only touches
// const-initialised thread-local `Cell<usize>`s, which neither allocate nor unwind.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which is `System`'s.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from `System` with `layout`; the caller checked `new_size`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            // Old and new blocks may coexist during the move: count both at the peak.
            grow(new_size);
            shrink(layout.size());
        }
        new
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Runs `f` and returns its result with the most heap bytes it had allocated at once (on top
/// of what the thread held before).
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    let result = f();
    let peak = PEAK.with(Cell::get).saturating_sub(base);
    (result, usize::try_from(peak).unwrap_or(0))
}
