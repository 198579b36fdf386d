// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The one definition of the ByteValued bridge (DESIGN invariant 5).

/// Implements `vm_memory::ByteValued` for wire structs whose zerocopy derives prove its contract.
///
/// VMMs call vm-memory's `read_obj`/`write_obj` (and `BootParams::new<T: ByteValued>`) on boot
/// structures, so those must implement `ByteValued`, an `unsafe` trait: any byte pattern of
/// `size_of::<T>()` bytes must be a valid `T`, and every byte of a `T` must be initialized (no
/// padding). zerocopy's derives prove exactly that from the type definition: `FromBytes` (every
/// bit pattern is valid), `IntoBytes` (no padding or uninitialized bytes) and `Immutable` (no
/// interior mutability behind `&T`).
///
/// Each expansion first asserts, at compile time, that the type has those three traits (plus
/// `Copy + Send + Sync`, ByteValued's supertraits) and only then emits the trait impl, so an
/// impl cannot exist for a type without the derives: removing a derive, or adding a field that
/// breaks one (a pointer, a `bool`, padding), fails the build.
///
/// The calling crate needs `zerocopy` and `vm-memory` as dependencies, and invokes this in its one
/// bridge module, which carries `#![allow(unsafe_code)]` and a `// SAFETY:` note per group of
/// types. loader-core itself contains no unsafe code: the impl is emitted in the caller.
///
/// ```
/// use vm_memory::ByteValued;
///
/// #[derive(Clone, Copy, Default, zerocopy::FromBytes, zerocopy::IntoBytes, zerocopy::Immutable)]
/// #[repr(C)]
/// struct Entry {
///     addr: u64,
///     size: u64,
/// }
///
/// #[allow(unsafe_code)]
/// mod bridge {
///     // SAFETY: `Entry` derives FromBytes + IntoBytes + Immutable, asserted by the macro.
///     loader_core::byte_valued!(super::Entry);
/// }
///
/// fn main() {
///     assert_eq!(Entry { addr: 1, size: 2 }.as_slice().len(), 16);
/// }
/// ```
#[macro_export]
macro_rules! byte_valued {
    ($($ty:ty),+ $(,)?) => {
        $(
            const _: () = {
                const fn assert_zerocopy<T>()
                where
                    T: ::zerocopy::FromBytes
                        + ::zerocopy::IntoBytes
                        + ::zerocopy::Immutable
                        + ::core::marker::Copy
                        + ::core::marker::Send
                        + ::core::marker::Sync,
                {
                }
                assert_zerocopy::<$ty>()
            };
            // The assertion above compiles only for `FromBytes + IntoBytes + Immutable` types:
            // every byte pattern is a valid value, there is no padding or uninitialized byte,
            // and `&$ty` hides no interior mutability — exactly ByteValued's contract.
            // SAFETY: proven by the derives the assertion above requires (see the macro docs).
            unsafe impl ::vm_memory::ByteValued for $ty {}
        )+
    };
}
