//! Check digits of the Russian identifiers carried in names (Order of the FNS / FSS / Pension
//! Fund rules, as every CA and the FNS services apply them): INN (10 digits for organisations,
//! 12 for persons), OGRN (13), OGRNIP (15), SNILS (11). Hand-written: a few lines of
//! arithmetic, no crate does it.

/// Weighted sum of `digits` with `weights`, modulo 11, then modulo 10 (the INN control rule).
fn inn_control(digits: &[u8], weights: &[u32]) -> u8 {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(&d, &w)| u32::from(d) * w)
        .sum();
    (sum % 11 % 10) as u8
}

fn digits_of(s: &str) -> Option<Vec<u8>> {
    s.bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect()
}

/// INN: 10 digits (one control digit) or 12 digits (two). A 12-digit value starting `00` is a
/// 10-digit organisation INN padded the legacy way and is checked as such.
pub fn inn_valid(s: &str) -> bool {
    const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    let Some(d) = digits_of(s) else {
        return false;
    };
    match d.as_slice() {
        [body @ .., c] if d.len() == 10 => inn_control(body, &W10) == *c,
        [0, 0, rest @ ..] if d.len() == 12 => inn_valid(&s[2..]) && rest.len() == 10,
        [body @ .., c1, c2] if d.len() == 12 => {
            inn_control(body, &W11) == *c1 && {
                let mut eleven = body.to_vec();
                eleven.push(*c1);
                inn_control(&eleven, &W12) == *c2
            }
        }
        _ => false,
    }
}

/// The number formed by `d`, which has at most 14 digits here.
fn number(d: &[u8]) -> u64 {
    d.iter().fold(0, |n, &x| n * 10 + u64::from(x))
}

/// OGRN: 13 digits, the last = (first 12 mod 11) mod 10.
pub fn ogrn_valid(s: &str) -> bool {
    match digits_of(s).as_deref() {
        Some([body @ .., c]) if s.len() == 13 => (number(body) % 11 % 10) as u8 == *c,
        _ => false,
    }
}

/// OGRNIP: 15 digits, the last = (first 14 mod 13) mod 10.
pub fn ogrnip_valid(s: &str) -> bool {
    match digits_of(s).as_deref() {
        Some([body @ .., c]) if s.len() == 15 => (number(body) % 13 % 10) as u8 == *c,
        _ => false,
    }
}

/// SNILS: 9 digits and a 2-digit control number: Σ dᵢ·(9−i) for i = 0..8; below 100 it is the
/// sum, 100 and 101 give 00, above that the sum mod 101 (100 again giving 00).
pub fn snils_valid(s: &str) -> bool {
    let Some(d) = digits_of(s) else {
        return false;
    };
    if d.len() != 11 {
        return false;
    }
    let (body, control) = d.split_at(9);
    let sum: u32 = body
        .iter()
        .zip((1..=9u32).rev())
        .map(|(&x, w)| u32::from(x) * w)
        .sum();
    let want = match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => sum % 101 % 100,
    };
    u32::try_from(number(control)).is_ok_and(|c| c == want)
}

/// Whether `value` of the attribute with short name `name` (`INN`, `INNLE`, `OGRN`, `OGRNIP`,
/// `SNILS`) has the right check digits; true for other attributes.
pub fn check_digits_valid(name: &str, value: &str) -> bool {
    match name {
        "INN" => inn_valid(value),
        "INNLE" => value.len() == 10 && inn_valid(value),
        "OGRN" => ogrn_valid(value),
        "OGRNIP" => ogrnip_valid(value),
        "SNILS" => snils_valid(value),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // valid: the FNS's own INN / OGRN, a computed person INN, SNILS, OGRNIP
        for (name, v) in [
            ("INNLE", "7707329152"),
            ("OGRN", "1047707030513"),
            ("INN", "500100732259"),
            ("INN", "007707329152"),
            ("SNILS", "12345678964"),
            ("SNILS", "11223344595"),
            ("OGRNIP", "304500116000157"),
        ] {
            assert!(check_digits_valid(name, v), "{name} {v}");
        }
        for (name, v) in [
            ("INN", "500100732258"),
            ("INN", "770123456789"),
            ("INNLE", "7707329153"),
            ("OGRN", "1047707030514"),
            ("SNILS", "12345678901"),
            ("OGRNIP", "304500116000158"),
            ("INN", "77070x9152"),
            ("INN", "12"),
        ] {
            assert!(!check_digits_valid(name, v), "{name} {v}");
        }
    }
}
