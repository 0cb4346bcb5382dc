//! Constant-time evidence for MGM's field multiplication under valgrind memcheck (the ctgrind
//! technique of `ec::ct_tests`): the H_i and data blocks are marked undefined, then both
//! backends' GF(2^128) and GF(2^64) multiply-accumulates run on them; memcheck reports any
//! conditional jump or memory address that depends on them. Results are marked defined again
//! before being compared with each other.
//!
//! Ignored in normal runs; `scripts/ct-check.sh` runs it under valgrind. Without valgrind the
//! client requests are no-ops. x86_64 only (the client-request sequence is architecture-specific).
//! The block ciphers (table-based RustCrypto crates) are not covered.

#[cfg(target_arch = "x86_64")]
mod imp {
    use super::super::{Engine, MgmBackend, portable};

    use crate::ctgrind::{poison, unpoison};

    fn secrets(seed: u128) -> ([u128; 16], [u128; 16], [u64; 16], [u64; 16]) {
        let mut h = [0u128; 16];
        let mut x = [0u128; 16];
        let mut s = seed;
        for i in 0..16 {
            s = s.wrapping_mul(0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15) ^ (s >> 61);
            h[i] = s;
            x[i] = s.rotate_left(37) ^ 0x87;
        }
        let h64 = h.map(|v| (v >> 17) as u64);
        let x64 = x.map(|v| v as u64);
        (h, x, h64, x64)
    }

    fn run(engine: Engine, seed: u128) -> (u128, u64, u128) {
        let (h, x, h64, x64) = secrets(seed);
        poison(&h[..]);
        poison(&x[..]);
        poison(&h64[..]);
        poison(&x64[..]);
        let s128 = engine.dot128(&h, &x);
        let s64 = engine.dot64(&h64, &x64);
        let c = portable::clmul64(h64[0], x64[1]);
        unpoison(&s128);
        unpoison(&s64);
        unpoison(&c);
        (s128, s64, c)
    }

    #[test]
    #[ignore = "run under valgrind by scripts/ct-check.sh"]
    fn mgm_field_mul_under_memcheck() {
        for seed in [1u128, 0xdead_beef, u128::MAX] {
            let p = run(Engine::Portable, seed);
            if let Some(e) = Engine::new(MgmBackend::Clmul) {
                let c = run(e, seed);
                assert_eq!(p, c);
            }
            let (h, x, ..) = secrets(seed);
            assert_ne!(p.0, 0, "{h:?} {x:?}");
        }
    }
}
