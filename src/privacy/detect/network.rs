//! Web addresses and IP addresses (email addresses live in [`super::email`]).
//!
//! A web address whose host is an IP address (`http://192.0.2.7/x`, `https://[2001:db8::1]/`)
//! is reported as an IP address: it says where a device was, which a domain name does not.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use regex::Regex;

use super::{Haystack, Hit, Kind, compiled, dotted_on, word_bounded};

/// Web addresses with a scheme, starting with `www.`, or a bare domain followed by a path
/// (`facebook.com/jane.doe`: a profile link identifies its owner).
pub(super) fn url(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(
        &RE,
        r"(?i)(?:(?:https?|ftp)://|www\.|[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}/)[^\s<>\x22']+",
    );
    for m in hay.find_iter(re) {
        // A URL starts a word (`xhttp://` is not one); checked by hand, since a Unicode `\b`
        // would keep the fast engine off any text that is not ASCII.
        if hay.before(m.start()).is_some_and(char::is_alphanumeric) {
            continue;
        }
        let kind = if host_is_ip(m.as_str()) {
            Kind::IpAddress
        } else {
            Kind::Url
        };
        hits.push(Hit {
            kind,
            start: m.start(),
            end: m.end(),
        });
    }
}

/// Whether the host of `url` (after any scheme and user, before any port or path) is an IPv4
/// address or a bracketed IPv6 address.
fn host_is_ip(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if let Some(v6) = host.strip_prefix('[') {
        return v6
            .split_once(']')
            .is_some_and(|(v6, _)| v6.parse::<Ipv6Addr>().is_ok());
    }
    let host = host.split_once(':').map_or(host, |(host, _)| host);
    host.parse::<Ipv4Addr>().is_ok()
}

/// IPv4 (four numbers up to 255) and IPv6 addresses, confirmed by the standard library's parser.
pub(super) fn ip(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static V4: OnceLock<Regex> = OnceLock::new();
    static V6: OnceLock<Regex> = OnceLock::new();
    let v4 = compiled(&V4, r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}");
    for m in hay.find_iter(v4) {
        // A fifth dotted number or a letter around it makes it a version string, not an address;
        // a full stop after it ends a sentence.
        if word_bounded(hay, m.start(), m.end())
            && !dotted_on(hay, m.start(), m.end())
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
    for m in hay.find_iter(v6) {
        let s = m.as_str();
        // At least three groups, so a time such as `10:30` or a ratio is never an address.
        if s.matches(':').count() >= 2
            && s.bytes().any(|b| b.is_ascii_hexdigit())
            && word_bounded(hay, m.start(), m.end())
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

    fn run(f: fn(&Haystack<'_>, &mut Vec<Hit>), text: &str) -> Vec<(usize, usize)> {
        let mut hits = Vec::new();
        f(&Haystack::new(text), &mut hits);
        hits.iter().map(|h| (h.start, h.end)).collect()
    }

    fn kinds(text: &str) -> Vec<Kind> {
        let mut hits = Vec::new();
        url(&Haystack::new(text), &mut hits);
        hits.iter().map(|h| h.kind).collect()
    }

    #[test]
    fn urls() {
        assert_eq!(run(url, "see https://example.org/a?b=c"), [(4, 29)]);
        assert_eq!(run(url, "www.example.org"), [(0, 15)]);
        assert_eq!(run(url, "example dot org"), []);
        assert_eq!(run(url, "fb: facebook.com/jane.doe.1990"), [(4, 30)]);
        assert_eq!(run(url, "see example.org"), []);
        assert_eq!(run(url, "ratio 3/4 and 1.5/2"), []);
        assert_eq!(run(url, "xhttp://example.org"), []);
    }

    #[test]
    fn a_web_address_on_an_ip_is_an_ip_address() {
        assert_eq!(kinds("see http://192.0.2.7/x"), [Kind::IpAddress]);
        assert_eq!(kinds("https://user@192.0.2.7:8080/a?b"), [Kind::IpAddress]);
        assert_eq!(kinds("http://[2001:db8::1]/"), [Kind::IpAddress]);
        assert_eq!(kinds("http://example.org/192.0.2.7"), [Kind::Url]);
        assert_eq!(kinds("http://999.0.2.7/"), [Kind::Url]);
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(run(ip, "host 192.0.2.17"), [(5, 15)]);
        assert_eq!(run(ip, "2001:db8::1"), [(0, 11)]);
        assert_eq!(run(ip, "999.1.1.1"), []);
        assert_eq!(run(ip, "1.2.3.4.5"), []);
        assert_eq!(run(ip, "from 192.0.2.17."), [(5, 15)]);
        assert_eq!(run(ip, "//192.0.2.17:8080/x"), [(2, 12)]);
        assert_eq!(run(ip, "10:30"), []);
        assert_eq!(run(ip, "at 10:30:15"), []);
    }
}
