// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The x86 zero-page layouts: upstream's `linux_loader::bootparam` (also at
//! `linux_loader::loader::bootparam`).
//!
//! Everything from `boot_params_x86::bootparam`, plus the names linux-loader 0.13.2's bindgen
//! output carried in the same module — the C integer typedefs of `<linux/types.h>` and
//! `<linux/posix_types.h>`, the APM BIOS constants and the ioctl encoding constants — so code
//! written against 0.13.2 that names them still compiles. 0.14.0 dropped these; they are kept
//! here as plain aliases and constants (hidden from the docs where they are not boot protocol).
//! The bindgen-only structs and unions (`__IncompleteArrayField`, `edd_device_params__bindgen_ty_*`,
//! `jailhouse_setup_data`, `edd`, `__kernel_fd_set`, `__kernel_fsid_t`) are not kept; the compat
//! crate's path test lists them with the reason.

#![allow(non_camel_case_types, non_upper_case_globals)]

pub use boot_params_x86::bootparam::*;

/// `apm_event_t` of `<linux/apm_bios.h>`.
pub type apm_event_t = u16;
/// `apm_eventinfo_t` of `<linux/apm_bios.h>`.
pub type apm_eventinfo_t = u16;

// The C typedefs linux-loader 0.13.2's bindgen output carried (x86_64 widths).
#[doc(hidden)]
/// `__s8` (x86_64 Linux).
pub type __s8 = i8;
#[doc(hidden)]
/// `__u8` (x86_64 Linux).
pub type __u8 = u8;
#[doc(hidden)]
/// `__s16` (x86_64 Linux).
pub type __s16 = i16;
#[doc(hidden)]
/// `__u16` (x86_64 Linux).
pub type __u16 = u16;
#[doc(hidden)]
/// `__s32` (x86_64 Linux).
pub type __s32 = i32;
#[doc(hidden)]
/// `__u32` (x86_64 Linux).
pub type __u32 = u32;
#[doc(hidden)]
/// `__s64` (x86_64 Linux).
pub type __s64 = i64;
#[doc(hidden)]
/// `__u64` (x86_64 Linux).
pub type __u64 = u64;
#[doc(hidden)]
/// `__le16` (x86_64 Linux).
pub type __le16 = u16;
#[doc(hidden)]
/// `__be16` (x86_64 Linux).
pub type __be16 = u16;
#[doc(hidden)]
/// `__le32` (x86_64 Linux).
pub type __le32 = u32;
#[doc(hidden)]
/// `__be32` (x86_64 Linux).
pub type __be32 = u32;
#[doc(hidden)]
/// `__le64` (x86_64 Linux).
pub type __le64 = u64;
#[doc(hidden)]
/// `__be64` (x86_64 Linux).
pub type __be64 = u64;
#[doc(hidden)]
/// `__sum16` (x86_64 Linux).
pub type __sum16 = u16;
#[doc(hidden)]
/// `__wsum` (x86_64 Linux).
pub type __wsum = u32;
#[doc(hidden)]
/// `__poll_t` (x86_64 Linux).
pub type __poll_t = u32;
#[doc(hidden)]
/// `__kernel_long_t` (x86_64 Linux).
pub type __kernel_long_t = i64;
#[doc(hidden)]
/// `__kernel_ulong_t` (x86_64 Linux).
pub type __kernel_ulong_t = u64;
#[doc(hidden)]
/// `__kernel_ino_t` (x86_64 Linux).
pub type __kernel_ino_t = u64;
#[doc(hidden)]
/// `__kernel_mode_t` (x86_64 Linux).
pub type __kernel_mode_t = u32;
#[doc(hidden)]
/// `__kernel_pid_t` (x86_64 Linux).
pub type __kernel_pid_t = i32;
#[doc(hidden)]
/// `__kernel_ipc_pid_t` (x86_64 Linux).
pub type __kernel_ipc_pid_t = i32;
#[doc(hidden)]
/// `__kernel_uid_t` (x86_64 Linux).
pub type __kernel_uid_t = u32;
#[doc(hidden)]
/// `__kernel_gid_t` (x86_64 Linux).
pub type __kernel_gid_t = u32;
#[doc(hidden)]
/// `__kernel_suseconds_t` (x86_64 Linux).
pub type __kernel_suseconds_t = i64;
#[doc(hidden)]
/// `__kernel_daddr_t` (x86_64 Linux).
pub type __kernel_daddr_t = i32;
#[doc(hidden)]
/// `__kernel_uid32_t` (x86_64 Linux).
pub type __kernel_uid32_t = u32;
#[doc(hidden)]
/// `__kernel_gid32_t` (x86_64 Linux).
pub type __kernel_gid32_t = u32;
#[doc(hidden)]
/// `__kernel_old_uid_t` (x86_64 Linux).
pub type __kernel_old_uid_t = u16;
#[doc(hidden)]
/// `__kernel_old_gid_t` (x86_64 Linux).
pub type __kernel_old_gid_t = u16;
#[doc(hidden)]
/// `__kernel_old_dev_t` (x86_64 Linux).
pub type __kernel_old_dev_t = u64;
#[doc(hidden)]
/// `__kernel_size_t` (x86_64 Linux).
pub type __kernel_size_t = u64;
#[doc(hidden)]
/// `__kernel_ssize_t` (x86_64 Linux).
pub type __kernel_ssize_t = i64;
#[doc(hidden)]
/// `__kernel_ptrdiff_t` (x86_64 Linux).
pub type __kernel_ptrdiff_t = i64;
#[doc(hidden)]
/// `__kernel_off_t` (x86_64 Linux).
pub type __kernel_off_t = i64;
#[doc(hidden)]
/// `__kernel_loff_t` (x86_64 Linux).
pub type __kernel_loff_t = i64;
#[doc(hidden)]
/// `__kernel_old_time_t` (x86_64 Linux).
pub type __kernel_old_time_t = i64;
#[doc(hidden)]
/// `__kernel_time_t` (x86_64 Linux).
pub type __kernel_time_t = i64;
#[doc(hidden)]
/// `__kernel_time64_t` (x86_64 Linux).
pub type __kernel_time64_t = i64;
#[doc(hidden)]
/// `__kernel_clock_t` (x86_64 Linux).
pub type __kernel_clock_t = i64;
#[doc(hidden)]
/// `__kernel_timer_t` (x86_64 Linux).
pub type __kernel_timer_t = i32;
#[doc(hidden)]
/// `__kernel_clockid_t` (x86_64 Linux).
pub type __kernel_clockid_t = i32;
#[doc(hidden)]
/// `__kernel_caddr_t` (x86_64 Linux).
pub type __kernel_caddr_t = *mut std::ffi::c_char;
#[doc(hidden)]
/// `__kernel_uid16_t` (x86_64 Linux).
pub type __kernel_uid16_t = u16;
#[doc(hidden)]
/// `__kernel_gid16_t` (x86_64 Linux).
pub type __kernel_gid16_t = u16;
#[doc(hidden)]
/// `__kernel_key_t` (x86_64 Linux).
pub type __kernel_key_t = i32;
#[doc(hidden)]
/// `__kernel_mqd_t` (x86_64 Linux).
pub type __kernel_mqd_t = i32;
#[doc(hidden)]
/// `__kernel_sighandler_t` (x86_64 Linux).
pub type __kernel_sighandler_t = Option<unsafe extern "C" fn(std::ffi::c_int)>;

/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_READY`.
pub const APM_STATE_READY: u32 = 0x0000;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_STANDBY`.
pub const APM_STATE_STANDBY: u32 = 0x0001;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_SUSPEND`.
pub const APM_STATE_SUSPEND: u32 = 0x0002;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_OFF`.
pub const APM_STATE_OFF: u32 = 0x0003;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_BUSY`.
pub const APM_STATE_BUSY: u32 = 0x0004;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_REJECT`.
pub const APM_STATE_REJECT: u32 = 0x0005;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_OEM_SYS`.
pub const APM_STATE_OEM_SYS: u32 = 0x0020;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_OEM_DEV`.
pub const APM_STATE_OEM_DEV: u32 = 0x0040;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_DISABLE`.
pub const APM_STATE_DISABLE: u32 = 0x0000;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_ENABLE`.
pub const APM_STATE_ENABLE: u32 = 0x0001;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_DISENGAGE`.
pub const APM_STATE_DISENGAGE: u32 = 0x0000;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STATE_ENGAGE`.
pub const APM_STATE_ENGAGE: u32 = 0x0001;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_SYS_STANDBY`.
pub const APM_SYS_STANDBY: u32 = 0x0001;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_SYS_SUSPEND`.
pub const APM_SYS_SUSPEND: u32 = 0x0002;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_NORMAL_RESUME`.
pub const APM_NORMAL_RESUME: u32 = 0x0003;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CRITICAL_RESUME`.
pub const APM_CRITICAL_RESUME: u32 = 0x0004;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_LOW_BATTERY`.
pub const APM_LOW_BATTERY: u32 = 0x0005;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_POWER_STATUS_CHANGE`.
pub const APM_POWER_STATUS_CHANGE: u32 = 0x0006;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_UPDATE_TIME`.
pub const APM_UPDATE_TIME: u32 = 0x0007;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CRITICAL_SUSPEND`.
pub const APM_CRITICAL_SUSPEND: u32 = 0x0008;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_USER_STANDBY`.
pub const APM_USER_STANDBY: u32 = 0x0009;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_USER_SUSPEND`.
pub const APM_USER_SUSPEND: u32 = 0x000a;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_STANDBY_RESUME`.
pub const APM_STANDBY_RESUME: u32 = 0x000b;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CAPABILITY_CHANGE`.
pub const APM_CAPABILITY_CHANGE: u32 = 0x000c;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_USER_HIBERNATION`.
pub const APM_USER_HIBERNATION: u32 = 0x000d;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_HIBERNATION_RESUME`.
pub const APM_HIBERNATION_RESUME: u32 = 0x000e;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_SUCCESS`.
pub const APM_SUCCESS: u32 = 0x00;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DISABLED`.
pub const APM_DISABLED: u32 = 0x01;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CONNECTED`.
pub const APM_CONNECTED: u32 = 0x02;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_NOT_CONNECTED`.
pub const APM_NOT_CONNECTED: u32 = 0x03;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_16_CONNECTED`.
pub const APM_16_CONNECTED: u32 = 0x05;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_16_UNSUPPORTED`.
pub const APM_16_UNSUPPORTED: u32 = 0x06;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_32_CONNECTED`.
pub const APM_32_CONNECTED: u32 = 0x07;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_32_UNSUPPORTED`.
pub const APM_32_UNSUPPORTED: u32 = 0x08;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_BAD_DEVICE`.
pub const APM_BAD_DEVICE: u32 = 0x09;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_BAD_PARAM`.
pub const APM_BAD_PARAM: u32 = 0x0a;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_NOT_ENGAGED`.
pub const APM_NOT_ENGAGED: u32 = 0x0b;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_BAD_FUNCTION`.
pub const APM_BAD_FUNCTION: u32 = 0x0c;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_RESUME_DISABLED`.
pub const APM_RESUME_DISABLED: u32 = 0x0d;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_NO_ERROR`.
pub const APM_NO_ERROR: u32 = 0x53;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_BAD_STATE`.
pub const APM_BAD_STATE: u32 = 0x60;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_NO_EVENTS`.
pub const APM_NO_EVENTS: u32 = 0x80;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_NOT_PRESENT`.
pub const APM_NOT_PRESENT: u32 = 0x86;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_BIOS`.
pub const APM_DEVICE_BIOS: u32 = 0x0000;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_ALL`.
pub const APM_DEVICE_ALL: u32 = 0x0001;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_DISPLAY`.
pub const APM_DEVICE_DISPLAY: u32 = 0x0100;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_STORAGE`.
pub const APM_DEVICE_STORAGE: u32 = 0x0200;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_PARALLEL`.
pub const APM_DEVICE_PARALLEL: u32 = 0x0300;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_SERIAL`.
pub const APM_DEVICE_SERIAL: u32 = 0x0400;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_NETWORK`.
pub const APM_DEVICE_NETWORK: u32 = 0x0500;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_PCMCIA`.
pub const APM_DEVICE_PCMCIA: u32 = 0x0600;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_BATTERY`.
pub const APM_DEVICE_BATTERY: u32 = 0x8000;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_OEM`.
pub const APM_DEVICE_OEM: u32 = 0xe000;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_OLD_ALL`.
pub const APM_DEVICE_OLD_ALL: u32 = 0xffff;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_CLASS`.
pub const APM_DEVICE_CLASS: u32 = 0x00ff;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_DEVICE_MASK`.
pub const APM_DEVICE_MASK: u32 = 0xff00;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_MAX_BATTERIES`.
pub const APM_MAX_BATTERIES: u32 = 2;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CAP_GLOBAL_STANDBY`.
pub const APM_CAP_GLOBAL_STANDBY: u32 = 0x0001;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CAP_GLOBAL_SUSPEND`.
pub const APM_CAP_GLOBAL_SUSPEND: u32 = 0x0002;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CAP_RESUME_STANDBY_TIMER`.
pub const APM_CAP_RESUME_STANDBY_TIMER: u32 = 0x0004;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CAP_RESUME_SUSPEND_TIMER`.
pub const APM_CAP_RESUME_SUSPEND_TIMER: u32 = 0x0008;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CAP_RESUME_STANDBY_RING`.
pub const APM_CAP_RESUME_STANDBY_RING: u32 = 0x0010;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CAP_RESUME_SUSPEND_RING`.
pub const APM_CAP_RESUME_SUSPEND_RING: u32 = 0x0020;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CAP_RESUME_STANDBY_PCMCIA`.
pub const APM_CAP_RESUME_STANDBY_PCMCIA: u32 = 0x0040;
/// APM BIOS interface constant (`<linux/apm_bios.h>`): `APM_CAP_RESUME_SUSPEND_PCMCIA`.
pub const APM_CAP_RESUME_SUSPEND_PCMCIA: u32 = 0x0080;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_NRBITS`.
#[doc(hidden)]
pub const _IOC_NRBITS: u32 = 8;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_TYPEBITS`.
#[doc(hidden)]
pub const _IOC_TYPEBITS: u32 = 8;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_SIZEBITS`.
#[doc(hidden)]
pub const _IOC_SIZEBITS: u32 = 14;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_DIRBITS`.
#[doc(hidden)]
pub const _IOC_DIRBITS: u32 = 2;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_NRMASK`.
#[doc(hidden)]
pub const _IOC_NRMASK: u32 = 255;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_TYPEMASK`.
#[doc(hidden)]
pub const _IOC_TYPEMASK: u32 = 255;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_SIZEMASK`.
#[doc(hidden)]
pub const _IOC_SIZEMASK: u32 = 16383;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_DIRMASK`.
#[doc(hidden)]
pub const _IOC_DIRMASK: u32 = 3;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_NRSHIFT`.
#[doc(hidden)]
pub const _IOC_NRSHIFT: u32 = 0;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_TYPESHIFT`.
#[doc(hidden)]
pub const _IOC_TYPESHIFT: u32 = 8;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_SIZESHIFT`.
#[doc(hidden)]
pub const _IOC_SIZESHIFT: u32 = 16;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_DIRSHIFT`.
#[doc(hidden)]
pub const _IOC_DIRSHIFT: u32 = 30;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_NONE`.
#[doc(hidden)]
pub const _IOC_NONE: u32 = 0;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_WRITE`.
#[doc(hidden)]
pub const _IOC_WRITE: u32 = 1;
/// ioctl number encoding (`<asm-generic/ioctl.h>`): `_IOC_READ`.
#[doc(hidden)]
pub const _IOC_READ: u32 = 2;
/// ioctl direction shorthand (`<asm-generic/ioctl.h>`): `IOC_IN`.
#[doc(hidden)]
pub const IOC_IN: u32 = 1073741824;
/// ioctl direction shorthand (`<asm-generic/ioctl.h>`): `IOC_OUT`.
#[doc(hidden)]
pub const IOC_OUT: u32 = 2147483648;
/// ioctl direction shorthand (`<asm-generic/ioctl.h>`): `IOC_INOUT`.
#[doc(hidden)]
pub const IOC_INOUT: u32 = 3221225472;
/// ioctl direction shorthand (`<asm-generic/ioctl.h>`): `IOCSIZE_MASK`.
#[doc(hidden)]
pub const IOCSIZE_MASK: u32 = 1073676288;
/// ioctl direction shorthand (`<asm-generic/ioctl.h>`): `IOCSIZE_SHIFT`.
#[doc(hidden)]
pub const IOCSIZE_SHIFT: u32 = 16;
/// Bits in a C `long` on x86_64 (`<asm/bitsperlong.h>`): `__BITS_PER_LONG`.
#[doc(hidden)]
pub const __BITS_PER_LONG: u32 = 64;
/// `fd_set` capacity (`<linux/posix_types.h>`): `__FD_SETSIZE`.
#[doc(hidden)]
pub const __FD_SETSIZE: u32 = 1024;
