//! Times as users read them: RFC 3339 in UTC (`2026-01-31T12:00:00Z`), for error messages,
//! reports and the command line.

use std::time::SystemTime;

/// `t` as RFC 3339 in UTC, whole seconds; "invalid" for a time outside 1970–9999.
pub fn rfc3339(t: SystemTime) -> String {
    match der::DateTime::from_system_time(t) {
        Ok(d) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minutes(),
            d.seconds()
        ),
        Err(_) => "invalid".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn formats_utc() {
        assert_eq!(super::rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_769_860_800);
        assert_eq!(super::rfc3339(t), "2026-01-31T12:00:00Z");
    }
}
