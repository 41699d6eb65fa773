//! Email addresses, web addresses and IP addresses.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use regex::Regex;

use super::{Hit, Kind, compiled, word_bounded};

/// Email addresses: a local part, `@`, and a dotted domain ending in a letters-only label.
pub(super) fn email(text: &str, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(
        &RE,
        r"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}",
    );
    for m in re.find_iter(text) {
        hits.push(Hit {
            kind: Kind::Email,
            start: m.start(),
            end: m.end(),
        });
    }
}

/// Web addresses with a scheme, starting with `www.`, or a bare domain followed by a path
/// (`facebook.com/jane.doe`: a profile link identifies its owner).
pub(super) fn url(text: &str, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(
        &RE,
        r"(?i)\b(?:(?:https?|ftp)://|www\.|[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}/)[^\s<>\x22']+",
    );
    for m in re.find_iter(text) {
        hits.push(Hit {
            kind: Kind::Url,
            start: m.start(),
            end: m.end(),
        });
    }
}

/// IPv4 (four numbers up to 255) and IPv6 addresses, confirmed by the standard library's parser.
pub(super) fn ip(text: &str, hits: &mut Vec<Hit>) {
    static V4: OnceLock<Regex> = OnceLock::new();
    static V6: OnceLock<Regex> = OnceLock::new();
    let v4 = compiled(&V4, r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}");
    for m in v4.find_iter(text) {
        // A fifth dotted number or a letter around it makes it a version string, not an address.
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let dotted = |c: Option<char>| c == Some('.');
        if word_bounded(text, m.start(), m.end())
            && !dotted(before)
            && !dotted(after)
            && m.as_str().parse::<Ipv4Addr>().is_ok()
        {
            hits.push(Hit {
                kind: Kind::IpAddress,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    let v6 = compiled(&V6, r"[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");
    for m in v6.find_iter(text) {
        let s = m.as_str();
        // At least three groups, so a time such as `10:30` or a ratio is never an address.
        if s.matches(':').count() >= 2
            && s.bytes().any(|b| b.is_ascii_hexdigit())
            && word_bounded(text, m.start(), m.end())
            && s.parse::<Ipv6Addr>().is_ok()
        {
            hits.push(Hit {
                kind: Kind::IpAddress,
                start: m.start(),
                end: m.end(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&str, &mut Vec<Hit>), text: &str) -> Vec<(usize, usize)> {
        let mut hits = Vec::new();
        f(text, &mut hits);
        hits.iter().map(|h| (h.start, h.end)).collect()
    }

    #[test]
    fn emails() {
        assert_eq!(run(email, "x jane@example.org."), [(2, 18)]);
        assert_eq!(run(email, "renée.o@example.org"), [(0, 20)]);
        assert_eq!(run(email, "a @ b"), []);
        assert_eq!(run(email, "user@localhost"), []);
    }

    #[test]
    fn urls() {
        assert_eq!(run(url, "see https://example.org/a?b=c"), [(4, 29)]);
        assert_eq!(run(url, "www.example.org"), [(0, 15)]);
        assert_eq!(run(url, "example dot org"), []);
        assert_eq!(run(url, "fb: facebook.com/jane.doe.1990"), [(4, 30)]);
        assert_eq!(run(url, "see example.org"), []);
        assert_eq!(run(url, "ratio 3/4 and 1.5/2"), []);
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(run(ip, "host 192.0.2.17"), [(5, 15)]);
        assert_eq!(run(ip, "2001:db8::1"), [(0, 11)]);
        assert_eq!(run(ip, "999.1.1.1"), []);
        assert_eq!(run(ip, "1.2.3.4.5"), []);
        assert_eq!(run(ip, "10:30"), []);
        assert_eq!(run(ip, "at 10:30:15"), []);
    }
}
