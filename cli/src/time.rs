//! RFC 3339 times for `--at` / `--not-before` (input parsing only): `YYYY-MM-DD`,
//! `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, or `@SECONDS` since the Unix epoch.

use crate::error::{CliError, CliResult};
use core::time::Duration;

/// Days from 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn num(s: &str, option: &str) -> CliResult<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(option));
    }
    s.parse().map_err(|_| bad(option))
}

fn bad(option: &str) -> CliError {
    CliError::usage(format!(
        "{option}: not a time (use RFC 3339, e.g. 2025-06-01T00:00:00Z, a date 2025-06-01, or @SECONDS)"
    ))
}

/// Parses a time into the duration since the Unix epoch.
pub fn parse(option: &str, text: &str) -> CliResult<Duration> {
    if let Some(secs) = text.strip_prefix('@') {
        return u64::try_from(num(secs, option)?)
            .map(Duration::from_secs)
            .map_err(|_| bad(option));
    }
    let (date, rest) = match text.split_once(['T', 't', ' ']) {
        Some((d, r)) => (d, Some(r)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad(option));
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad(option));
    }
    let (y, m, d) = (num(y, option)?, num(m, option)?, num(d, option)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad(option));
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(rest) = rest {
        let (clock, offset) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
            (c, 0)
        } else if let Some(i) = rest.rfind(['+', '-']) {
            let (c, off) = rest.split_at(i);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let off = off.get(1..).unwrap_or("");
            let Some((oh, om)) = off.split_once(':') else {
                return Err(bad(option));
            };
            (c, sign * (num(oh, option)? * 3600 + num(om, option)? * 60))
        } else {
            return Err(bad(option));
        };
        let clock = clock.split_once('.').map_or(clock, |(c, _)| c);
        let mut hms = clock.split(':');
        let (Some(h), Some(mi), Some(s), None) = (hms.next(), hms.next(), hms.next(), hms.next())
        else {
            return Err(bad(option));
        };
        let (h, mi, s) = (num(h, option)?, num(mi, option)?, num(s, option)?);
        if h > 23 || mi > 59 || s > 60 {
            return Err(bad(option));
        }
        secs += h * 3600 + mi * 60 + s - offset;
    }
    u64::try_from(secs)
        .map(Duration::from_secs)
        .map_err(|_| bad(option))
}

/// The current time since the Unix epoch.
pub fn now() -> Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339() {
        assert_eq!(parse("t", "1970-01-01").unwrap(), Duration::ZERO);
        assert_eq!(
            parse("t", "2025-01-01T00:00:00Z").unwrap().as_secs(),
            1_735_689_600
        );
        assert_eq!(
            parse("t", "2025-01-01T01:00:00+01:00").unwrap().as_secs(),
            1_735_689_600
        );
        assert_eq!(
            parse("t", "2025-01-01T00:00:00.5Z").unwrap().as_secs(),
            1_735_689_600
        );
        assert_eq!(parse("t", "@1735689600").unwrap().as_secs(), 1_735_689_600);
        for bad in [
            "",
            "2025",
            "2025-13-01",
            "2025-01-01T00:00",
            "2025-01-01T00:00:00",
            "@x",
            "1969-12-31",
        ] {
            assert!(parse("t", bad).is_err(), "{bad}");
        }
    }
}
