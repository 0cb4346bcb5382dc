//! Hash functions: GOST R 34.11-2012 "Streebog" (RFC 6986) and the legacy GOST R 34.11-94
//! (RFC 5831) with the CryptoPro parameter set (RFC 4357 §11.2).
//!
//! The RustCrypto `streebog` and `gost94` crates do the work; these wrappers are gostkit's own
//! types so that a faster backend can replace a crate without touching callers. Digests are byte
//! strings exactly as the algorithms output them (RFC 6986 prints them as big-endian numbers,
//! i.e. byte-reversed; see `test-vectors/README.md`).

use digest::Digest as _;

macro_rules! hash_wrapper {
    ($(#[$doc:meta])* $name:ident, $inner:ty, $len:expr, $label:expr) => {
        $(#[$doc])*
        #[derive(Clone, Default)]
        pub struct $name($inner);

        impl $name {
            /// Digest length in bytes.
            pub const OUTPUT_LEN: usize = $len;
            /// Algorithm name.
            pub const NAME: &'static str = $label;

            /// A fresh hashing state.
            pub fn new() -> Self {
                Self(<$inner>::new())
            }

            /// Absorbs more data.
            pub fn update(&mut self, data: &[u8]) {
                self.0.update(data);
            }

            /// Finishes and returns the digest.
            pub fn finalize(self) -> [u8; $len] {
                let mut out = [0u8; $len];
                out.copy_from_slice(&self.0.finalize());
                out
            }

            /// Finishes into `out` and resets the state for reuse.
            pub fn finalize_reset(&mut self) -> [u8; $len] {
                let mut out = [0u8; $len];
                out.copy_from_slice(&self.0.finalize_reset());
                out
            }

            /// One-shot digest of `data`.
            pub fn digest(data: &[u8]) -> [u8; $len] {
                let mut h = Self::new();
                h.update(data);
                h.finalize()
            }
        }

        // The RustCrypto `digest` traits, so that `hmac`, `pbkdf2`, `hkdf` and other generic
        // code (TLS stacks included) take gostkit's hash types directly.
        impl digest::HashMarker for $name {}

        impl digest::OutputSizeUser for $name {
            type OutputSize = <$inner as digest::OutputSizeUser>::OutputSize;
        }

        impl digest::block_api::BlockSizeUser for $name {
            type BlockSize = <$inner as digest::block_api::BlockSizeUser>::BlockSize;
        }

        impl digest::Update for $name {
            fn update(&mut self, data: &[u8]) {
                digest::Update::update(&mut self.0, data);
            }
        }

        impl digest::FixedOutput for $name {
            fn finalize_into(self, out: &mut digest::Output<Self>) {
                digest::FixedOutput::finalize_into(self.0, out);
            }
        }

        impl digest::Reset for $name {
            fn reset(&mut self) {
                digest::Reset::reset(&mut self.0);
            }
        }

        impl digest::FixedOutputReset for $name {
            fn finalize_into_reset(&mut self, out: &mut digest::Output<Self>) {
                digest::FixedOutputReset::finalize_into_reset(&mut self.0, out);
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
    };
}

hash_wrapper!(
    /// GOST R 34.11-2012 with a 256-bit digest (RFC 6986).
    Streebog256, streebog::Streebog256, 32, "streebog256"
);
hash_wrapper!(
    /// GOST R 34.11-2012 with a 512-bit digest (RFC 6986).
    Streebog512, streebog::Streebog512, 64, "streebog512"
);
hash_wrapper!(
    /// GOST R 34.11-94 with the CryptoPro S-box and start vector (RFC 4357 §11.2), for legacy documents.
    Gost94, gost94::Gost94CryptoPro, 32, "gost94"
);

/// A hash algorithm chosen at run time (C ABI, command line, ASN.1 algorithm identifiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlg {
    /// GOST R 34.11-2012, 256-bit.
    Streebog256,
    /// GOST R 34.11-2012, 512-bit.
    Streebog512,
    /// GOST R 34.11-94, CryptoPro parameters.
    Gost94,
}

impl HashAlg {
    /// Digest length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Self::Streebog256 | Self::Gost94 => 32,
            Self::Streebog512 => 64,
        }
    }

    /// The name used by the command line (`streebog256`, `streebog512`, `gost94`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Streebog256 => Streebog256::NAME,
            Self::Streebog512 => Streebog512::NAME,
            Self::Gost94 => Gost94::NAME,
        }
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Streebog256, Self::Streebog512, Self::Gost94]
            .into_iter()
            .find(|a| a.name() == name)
    }

    /// A fresh streaming state for this algorithm.
    pub fn hasher(self) -> Hasher {
        match self {
            Self::Streebog256 => Hasher::Streebog256(Streebog256::new()),
            Self::Streebog512 => Hasher::Streebog512(Streebog512::new()),
            Self::Gost94 => Hasher::Gost94(Gost94::new()),
        }
    }

    /// One-shot digest.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = self.hasher();
        h.update(data);
        h.finalize()
    }
}

/// A streaming hash state of an algorithm chosen at run time.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Hasher {
    /// Streebog-256 state.
    Streebog256(Streebog256),
    /// Streebog-512 state.
    Streebog512(Streebog512),
    /// GOST R 34.11-94 state.
    Gost94(Gost94),
}

impl Hasher {
    /// The algorithm of this state.
    pub fn alg(&self) -> HashAlg {
        match self {
            Self::Streebog256(_) => HashAlg::Streebog256,
            Self::Streebog512(_) => HashAlg::Streebog512,
            Self::Gost94(_) => HashAlg::Gost94,
        }
    }

    /// Absorbs more data.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Self::Streebog256(h) => h.update(data),
            Self::Streebog512(h) => h.update(data),
            Self::Gost94(h) => h.update(data),
        }
    }

    /// Finishes and returns the digest (`alg().output_len()` bytes).
    pub fn finalize(self) -> Vec<u8> {
        match self {
            Self::Streebog256(h) => h.finalize().to_vec(),
            Self::Streebog512(h) => h.finalize().to_vec(),
            Self::Gost94(h) => h.finalize().to_vec(),
        }
    }
}
