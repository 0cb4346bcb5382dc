//! AVX-512 VBMI single-block path: `vpermb` looks up 64 bytes held in a register by a 6-bit index
//! per byte, so one instruction evaluates the four S-box rows of the low nibbles of a word (index
//! = nibble | byte position << 4) and a second one the four rows of the high nibbles. The state
//! stays in a vector register for all rounds, tables and masks too; no memory address depends on
//! the key or the data (the round keys are read in order). Per round the dependency chain is
//! add, shift, ternary-logic, `vpermb`, rotate, ternary-logic (xor of three), which is what the
//! serial modes (CBC and CFB encryption, the MACs) are bound by.

#![allow(
    unsafe_code,
    reason = "AVX-512 intrinsics (core::arch), each block justified"
)]

use super::Tables;
#[cfg(target_arch = "x86")]
use core::arch::x86::*;
#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

/// Whether the CPU has what [`block1`] uses (cached by the standard library).
pub(super) fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512vl")
        && std::arch::is_x86_feature_detected!("avx512vbmi")
}

/// Runs the rounds `rk` on one block held as halves (`l`, `r`) = (a1, a0).
pub(super) fn block1(t: &Tables, rk: &[u32], l: &mut u32, r: &mut u32) {
    debug_assert!(available());
    // SAFETY: the caller (super::Core) only selects this backend after `available()` returned
    // true.
    unsafe { block1_vbmi(t, rk, l, r) }
}

/// `(a & b) | c`, the `vpternlogd` immediate for inputs (a, b, c) = (0xf0, 0xcc, 0xaa).
const AND_OR: i32 = 0xea;
/// `a ^ b ^ c`.
const XOR3: i32 = 0x96;

#[target_feature(enable = "avx512f,avx512vl,avx512vbmi")]
fn block1_vbmi(t: &Tables, rk: &[u32], l: &mut u32, r: &mut u32) {
    // SAFETY: each table is 64 bytes; unaligned loads are allowed.
    let (tlo, thi) = unsafe {
        (
            _mm512_loadu_si512(t.perm_lo.as_ptr().cast()),
            _mm512_loadu_si512(t.perm_hi.as_ptr().cast()),
        )
    };
    let m0f = _mm_set1_epi8(0x0f);
    // byte p of the word indexes rows 2p / 2p + 1: its table starts at 16p
    let posn = _mm_set1_epi32(0x3020_1000);
    let mut a1 = _mm_cvtsi32_si128(*l as i32);
    let mut a0 = _mm_cvtsi32_si128(*r as i32);
    for &k in rk {
        let x = _mm_add_epi32(a0, _mm_cvtsi32_si128(k as i32));
        let il = _mm_ternarylogic_epi32::<AND_OR>(x, m0f, posn);
        let ih = _mm_ternarylogic_epi32::<AND_OR>(_mm_srli_epi32::<4>(x), m0f, posn);
        // only the low 16 bytes of the index matter; the rest select table bytes that are
        // thrown away
        let sl = _mm512_castsi512_si128(_mm512_permutexvar_epi8(_mm512_castsi128_si512(il), tlo));
        let sh = _mm512_castsi512_si128(_mm512_permutexvar_epi8(_mm512_castsi128_si512(ih), thi));
        // the two lookups fill disjoint nibbles, so rotating each and xoring is g[k]
        let n =
            _mm_ternarylogic_epi32::<XOR3>(a1, _mm_rol_epi32::<11>(sl), _mm_rol_epi32::<11>(sh));
        a1 = a0;
        a0 = n;
    }
    *l = _mm_cvtsi128_si32(a1) as u32;
    *r = _mm_cvtsi128_si32(a0) as u32;
}
