// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `loader-core` (work in progress).
