//! The certificate summary of `gostkit x509 show --json` (CLI.md, "`x509 show --json`"): one
//! implementation shared by the command line and the C ABI (`gostkit_cert_json`), so both give
//! the same bytes. Hand-written: a few flat string/list values, no JSON crate needed.

use super::cert::Certificate;
use super::error::Result;
use super::name::{attributes, id_checks, to_rfc4514};
use super::time::rfc3339;

/// A JSON string literal of `s` (RFC 8259 §7 escapes; non-ASCII kept as UTF-8).
pub fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// A JSON list of strings.
pub fn json_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| json_str(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The JSON object of a name: `dn` (RFC 4514) and one key per attribute type (a list when the
/// type appears several times).
pub fn name_json(name: &x509_cert::name::Name) -> String {
    let mut keys: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in attributes(name) {
        match keys.iter_mut().find(|(n, _)| *n == k) {
            Some((_, vals)) => vals.push(v),
            None => keys.push((k, vec![v])),
        }
    }
    let mut parts = vec![format!("\"dn\": {}", json_str(&to_rfc4514(name)))];
    for (k, vals) in keys {
        let v = if let [one] = vals.as_slice() {
            json_str(one)
        } else {
            json_list(&vals)
        };
        parts.push(format!("{}: {}", json_str(&k), v));
    }
    format!("{{{}}}", parts.join(", "))
}

/// The serial as lowercase hex without leading zeros (`0` for zero).
pub fn serial_hex(c: &Certificate) -> String {
    let s = hex(c.serial());
    let t = s.trim_start_matches('0');
    if t.is_empty() {
        "0".to_owned()
    } else {
        t.to_owned()
    }
}

/// The facts of `x509 show`, as (key, JSON value) pairs in CLI.md order, then the additions:
/// `subject_id_checks` (each Russian identifier of the subject → whether its check digits are
/// right, see [`super::ru_ids`]).
pub fn facts(c: &Certificate) -> Result<Vec<(&'static str, String)>> {
    let pk = c.public_key();
    let alg = match pk.algorithm {
        crate::asn1::KeyAlgorithm::Gost2001 => "gost2001",
        crate::asn1::KeyAlgorithm::Gost2012_256 => "gost2012-256",
        crate::asn1::KeyAlgorithm::Gost2012_512 => "gost2012-512",
    };
    let curve = crate::ec::ParamSet::from_oid(&pk.param_set.to_string())
        .and_then(|s| s.cli_name())
        .unwrap_or("unknown");
    let (ca, path_len) = match c.basic_constraints()? {
        Some((ca, pl)) => (ca, pl.map_or("null".to_owned(), |n| n.to_string())),
        None => (false, "null".to_owned()),
    };
    let ku: Vec<String> = c.key_usage_names()?.iter().map(|s| s.to_string()).collect();
    let eku: Vec<String> = c.ext_key_usage()?.iter().map(|o| o.to_string()).collect();
    let pol: Vec<String> = c.policies()?.iter().map(|o| o.to_string()).collect();
    let checks: Vec<String> = id_checks(c.subject())
        .iter()
        .map(|(k, _, ok)| format!("{}: {ok}", json_str(k)))
        .collect();
    Ok(vec![
        ("subject", name_json(c.subject())),
        ("issuer", name_json(c.issuer())),
        ("serial", json_str(&serial_hex(c))),
        ("not_before", json_str(&rfc3339(c.not_before()))),
        ("not_after", json_str(&rfc3339(c.not_after()))),
        (
            "key",
            format!(
                "{{\"algorithm\": {}, \"curve\": {}, \"curve_oid\": {}}}",
                json_str(alg),
                json_str(curve),
                json_str(&pk.param_set.to_string())
            ),
        ),
        (
            "signature_algorithm_oid",
            json_str(&c.signature_algorithm_oid().to_string()),
        ),
        ("ca", ca.to_string()),
        ("path_len", path_len),
        ("key_usage", json_list(&ku)),
        ("ext_key_usage", json_list(&eku)),
        ("policies", json_list(&pol)),
        (
            "subject_sign_tool",
            c.subject_sign_tool()?
                .map_or("null".to_owned(), |s| json_str(&s)),
        ),
        (
            "issuer_sign_tool",
            c.issuer_sign_tool()?
                .map_or("null".to_owned(), |v| json_list(&v)),
        ),
        (
            "identification_kind",
            c.identification_kind()?
                .map_or("null".to_owned(), |n| n.to_string()),
        ),
        ("thumbprint_sha1", json_str(&hex(&c.thumbprint_sha1()))),
        (
            "thumbprint_streebog256",
            json_str(&hex(&c.thumbprint_streebog256())),
        ),
        ("subject_id_checks", format!("{{{}}}", checks.join(", "))),
    ])
}

/// The whole JSON object of `gostkit x509 show --json`, two-space indented, ending in a newline.
pub fn to_json(c: &Certificate) -> Result<String> {
    let body: Vec<String> = facts(c)?
        .iter()
        .map(|(k, v)| format!("  {}: {v}", json_str(k)))
        .collect();
    Ok(format!("{{\n{}\n}}\n", body.join(",\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(json_str("a\"b\\c\n\u{1}я"), "\"a\\\"b\\\\c\\n\\u0001я\"");
        assert_eq!(json_list(&["x".into(), "y".into()]), "[\"x\", \"y\"]");
    }
}
