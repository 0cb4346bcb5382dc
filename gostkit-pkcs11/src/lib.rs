//! gostkit's PKCS#11 software token: `libgostkit_pkcs11.so`, a PKCS#11 v2.40 module with the
//! GOST mechanisms of PKCS#11 v2.40 and of the TC26 extension ("PKCS#11 extensions for
//! implementing the GOST R 34.10-2012 and GOST R 34.11-2012 Russian standards", TC 026, 2016;
//! constants in [`consts`]), built on gostkit.
//!
//! Load it like any module (`pkcs11-tool --module libgostkit_pkcs11.so …`). It keeps its
//! tokens in `$GOSTKIT_PKCS11_DIR` (default `$XDG_DATA_HOME/gostkit/pkcs11`, else
//! `~/.local/share/gostkit/pkcs11`), one directory per token, private objects encrypted under
//! a key that only the user PIN (and the SO PIN) unwrap — [`store`] has the layout. It offers
//! GOST R 34.10-2012 key pairs on every 256- and 512-bit parameter set gostkit knows, signatures
//! with and without hashing, VKO derivation, Streebog and GOST R 34.11-94 digests, data objects
//! and certificates ([`mech`] lists the mechanisms); other functions return
//! `CKR_FUNCTION_NOT_SUPPORTED`.
//!
//! Layers: [`boundary`] (panic boundary, caller pointers — all `unsafe` lives there and in
//! [`api`]), [`object`] (attribute schema), [`store`] (files and their encryption), [`token`]
//! (slots, sessions, PINs), [`mech`] and [`ops`] (mechanisms and operations), [`api`] (the
//! exported `C_` functions and `C_GetFunctionList`). No panic crosses the C boundary: it
//! becomes `CKR_GENERAL_ERROR`.
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
// The exported functions and their parameters carry the C names of the standard.
#![allow(non_snake_case)]

pub mod api;
pub mod boundary;
pub mod consts;
pub mod mech;
pub mod object;
pub mod ops;
pub mod store;
pub mod token;
