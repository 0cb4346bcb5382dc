//! The multi-block round loop shared by the SSSE3 and AVX2 backends, written once as a macro over
//! the register width: each expands it with its own intrinsics inside its own
//! `#[target_feature]` function, so the loop is compiled for that feature set (a generic function
//! would not be). `pshufb`/`vpshufb` evaluates a 4-bit S-box row on every byte of a register from
//! a 16-byte table held in a register: the S-box layer reads no memory at a data-dependent address.

/// Expands to the body of `fn(t: &Tables, rk: &[u32], l: &mut [u32; N], r: &mut [u32; N])`:
/// `lanes` blocks per register (one 32-bit half per lane), at most 8 registers; `table` loads a
/// 16-byte row into a register (broadcast to every 128-bit lane); the remaining arguments name
/// the width's intrinsics.
macro_rules! shuffle_rounds {
    (
        $t:ident, $rk:ident, $l:ident, $r:ident, lanes = $lanes:literal, table = $table:expr,
        zero = $zero:ident, splat8 = $splat8:ident, splat32 = $splat32:ident,
        load = $load:ident, store = $store:ident, add32 = $add32:ident, and = $and:ident,
        or = $or:ident, xor = $xor:ident, shr16 = $shr16:ident, shl32 = $shl32:ident,
        shr32 = $shr32:ident, shuffle = $shuffle:ident $(,)?
    ) => {{
        let m0f = $splat8(0x0f);
        // SAFETY: each `shuf` row and `pos` row is 16 bytes; unaligned loads are allowed.
        let (tl, th, pos) = unsafe {
            let ld = $table;
            (
                [
                    ld(&$t.shuf[0]),
                    ld(&$t.shuf[2]),
                    ld(&$t.shuf[4]),
                    ld(&$t.shuf[6]),
                ],
                [
                    ld(&$t.shuf[1]),
                    ld(&$t.shuf[3]),
                    ld(&$t.shuf[5]),
                    ld(&$t.shuf[7]),
                ],
                [ld(&$t.pos[0]), ld(&$t.pos[1]), ld(&$t.pos[2]), ld(&$t.pos[3])],
            )
        };
        let mut a1 = [$zero(); 8];
        let mut a0 = [$zero(); 8];
        let regs = (N / $lanes).min(8);
        for j in 0..regs {
            // SAFETY: lanes `lanes·j .. lanes·(j+1)` lie inside the N-element arrays (j < N/lanes).
            unsafe {
                a1[j] = $load($l.as_ptr().add($lanes * j).cast());
                a0[j] = $load($r.as_ptr().add($lanes * j).cast());
            }
        }
        for &k in $rk {
            let kv = $splat32(k as i32);
            for j in 0..regs {
                let x = $add32(a0[j], kv);
                let lo = $and(x, m0f);
                let hi = $and($shr16(x, 4), m0f);
                let mut s = $zero();
                for p in 0..4 {
                    // bytes outside position p get bit 7 set, so the shuffle writes 0 there
                    let sl = $shuffle(tl[p], $or(lo, pos[p]));
                    let sh = $shuffle(th[p], $or(hi, pos[p]));
                    s = $or(s, $or(sl, sh));
                }
                let g = $or($shl32(s, 11), $shr32(s, 21));
                let n = $xor(a1[j], g);
                a1[j] = a0[j];
                a0[j] = n;
            }
        }
        for j in 0..regs {
            // SAFETY: as for the loads above.
            unsafe {
                $store($l.as_mut_ptr().add($lanes * j).cast(), a1[j]);
                $store($r.as_mut_ptr().add($lanes * j).cast(), a0[j]);
            }
        }
    }};
}
