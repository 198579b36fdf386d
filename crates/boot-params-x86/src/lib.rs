// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `boot-params-x86` (work in progress).
