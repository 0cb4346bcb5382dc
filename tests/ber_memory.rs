//! The BER normaliser's memory bound (issue 9: a 60-deep indefinite nesting used ~5× its input):
//! normalising allocates at most the input's size again, measured with a peak-tracking allocator.
//! One test per binary so that nothing else allocates while it measures.

use gostkit::fuzzing::ber_to_der;
use peak_alloc::PeakAlloc;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// `depth` indefinite SEQUENCEs around `inner`.
fn nest(depth: usize, inner: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(inner.len() + 4 * depth);
    for _ in 0..depth {
        v.extend_from_slice(&[0x30, 0x80]);
    }
    v.extend_from_slice(inner);
    for _ in 0..depth {
        v.extend_from_slice(&[0, 0]);
    }
    v
}

/// A constructed, indefinite OCTET STRING of `total` bytes in `seg`-byte segments (as
/// `openssl cms -stream` and CryptoPro write content).
fn chunked(total: usize, seg: usize) -> Vec<u8> {
    let mut v = vec![0x24, 0x80];
    let mut left = total;
    while left > 0 {
        let n = left.min(seg);
        v.extend_from_slice(&[0x04, 0x82, (n >> 8) as u8, n as u8]);
        v.extend(std::iter::repeat_n(0x5a, n));
        left -= n;
    }
    v.extend_from_slice(&[0, 0]);
    v
}

/// Bytes allocated beyond what was live before `f` ran, at the peak.
fn peak_extra<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    let out = f();
    (ALLOC.peak_usage().saturating_sub(before), out)
}

#[test]
fn normalising_costs_at_most_the_input_again() {
    const MIB: usize = 1 << 20;
    let primitive = [&[0x04u8, 0x83, 0x10, 0x00, 0x00][..], &vec![0xa5; MIB]].concat();
    let cases = [
        (
            "60-deep indefinite SEQUENCEs around a 1 MiB OCTET STRING",
            nest(60, &primitive),
        ),
        (
            "60-deep around a 1 MiB constructed OCTET STRING in 1000-byte segments",
            nest(60, &chunked(MIB, 1000)),
        ),
        (
            "64-deep around 4 MiB in 64 KiB segments",
            nest(63, &chunked(4 * MIB, 0xffff)),
        ),
    ];
    for (what, input) in cases {
        let (extra, der) = peak_extra(|| ber_to_der(&input).map(|d| d.len()));
        let der_len = der.unwrap_or_else(|e| panic!("{what}: {e}"));
        // A definite length over 64 KiB takes one byte more than `80 .. 00 00`.
        assert!(
            der_len <= input.len() + 64,
            "{what}: DER {der_len} for BER {}",
            input.len()
        );
        assert!(
            extra <= input.len() + 4096,
            "{what}: {extra} bytes allocated for a {}-byte input",
            input.len()
        );
        println!(
            "{what}: input {} B, DER {der_len} B, allocated {extra} B",
            input.len()
        );
    }
    // Already DER: nothing is copied.
    let (extra, der) = peak_extra(|| ber_to_der(&primitive).map(|d| d.len()));
    assert_eq!(der.unwrap(), primitive.len());
    assert!(extra < 4096, "{extra} bytes allocated for DER input");
}
