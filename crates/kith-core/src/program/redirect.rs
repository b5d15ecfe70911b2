//! Where a referral link may send a visitor, and the tracked URL it sends them to.
//!
//! A destination is allowed only when it is an `http`/`https` URL whose host is one of
//! the brand's `allowed_redirect_domains` or a subdomain of one. Everything a browser
//! might read differently from us — user-info (`https://shop.example@evil.test`),
//! backslashes, control characters, protocol-relative or other schemes — is refused, so
//! the check cannot be talked around.

/// Why a destination was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadDestination {
    #[error("{0:?} is not an http(s) URL")]
    NotHttp(String),
    #[error("{0:?} has characters a browser could read differently")]
    Ambiguous(String),
    #[error("{url:?} points to {host:?}, which is not an allowed redirect domain")]
    NotAllowed { url: String, host: String },
}

/// The lower-case host of an absolute http(s) URL, refusing ambiguous forms.
pub fn host_of(url: &str) -> Result<String, BadDestination> {
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err(BadDestination::Ambiguous(url.to_owned()));
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| BadDestination::NotHttp(url.to_owned()))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') || authority.contains('%') {
        return Err(BadDestination::Ambiguous(url.to_owned()));
    }
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return Err(BadDestination::Ambiguous(url.to_owned())),
        None => authority,
    };
    let host = host.trim_end_matches('.');
    let valid = !host.is_empty()
        && host.split('.').all(|label| !label.is_empty())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if valid {
        Ok(host.to_owned())
    } else {
        Err(BadDestination::Ambiguous(url.to_owned()))
    }
}

/// Checks `url` against the brand's allowed domains (`shop.example` allows
/// `shop.example` and `www.shop.example`, never `shop.example.evil.test`).
pub fn check_destination(url: &str, allowed: &[String]) -> Result<(), BadDestination> {
    let host = host_of(url)?;
    let ok = allowed.iter().any(|domain| {
        let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        !d.is_empty() && (host == d || host.ends_with(&format!(".{d}")))
    });
    if ok {
        Ok(())
    } else {
        Err(BadDestination::NotAllowed {
            url: url.to_owned(),
            host,
        })
    }
}

/// The destination with kith's UTM parameters: any `utm_*` it already had is replaced,
/// other parameters and the fragment are kept.
pub fn tracked_url(destination: &str, campaign: &str, code: &str) -> String {
    let (without_fragment, fragment) = match destination.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (destination, None),
    };
    let (base, query) = match without_fragment.split_once('?') {
        Some((b, q)) => (b, q),
        None => (without_fragment, ""),
    };
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| {
            let lower = p.to_ascii_lowercase();
            !p.is_empty()
                && !lower.starts_with("utm_")
                && !lower.starts_with("kith_ref=")
                && !lower.starts_with("kith_code=")
        })
        .map(str::to_owned)
        .collect();
    params.push("utm_source=kith".into());
    params.push("utm_medium=referral".into());
    params.push(format!("utm_campaign={}", encode(campaign)));
    params.push(format!("utm_content={}", encode(code)));
    let mut url = format!("{base}?{}", params.join("&"));
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// A tracked URL with the visitor's referral id as `kith_ref`, before any fragment, so
/// the storefront's landing URL carries it to the order (see
/// [`crate::program::attribution::landing_evidence`]).
pub fn with_visitor(tracked: &str, visitor: &str) -> String {
    with_param(tracked, "kith_ref", visitor)
}

/// A tracked URL with a single-use discount code as `kith_code`, before any fragment:
/// the shop's landing page reads it and applies the code at checkout.
pub fn with_single_use_code(tracked: &str, code: &str) -> String {
    with_param(tracked, "kith_code", code)
}

fn with_param(tracked: &str, key: &str, value: &str) -> String {
    let (url, fragment) = match tracked.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (tracked, None),
    };
    let separator = if url.contains('?') { '&' } else { '?' };
    let mut out = format!("{url}{separator}{key}={}", encode(value));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> Vec<String> {
        vec!["ridgeline.example".into()]
    }

    #[test]
    fn the_brand_domain_and_its_subdomains_are_allowed() {
        for ok in [
            "https://ridgeline.example/",
            "https://www.ridgeline.example/products/blend?variant=2",
            "http://RIDGELINE.example:8443/x",
            "https://shop.ridgeline.example.",
        ] {
            assert_eq!(check_destination(ok, &allowed()), Ok(()), "{ok}");
        }
    }

    #[test]
    fn open_redirect_payloads_are_refused() {
        for bad in [
            "https://evil.test/",
            "https://ridgeline.example.evil.test/",
            "https://evilridgeline.example/",
            "https://ridgeline.example@evil.test/",
            "https://evil.test\\@ridgeline.example/",
            "https://evil.test#ridgeline.example",
            "https://evil.test?next=https://ridgeline.example",
            "//evil.test/",
            "/\\evil.test",
            "javascript:alert(1)//ridgeline.example",
            "data:text/html,<script>",
            "https://ridgeline.example%2eevil.test/",
            "https://evil.test%00.ridgeline.example/",
            "https://ridgeline.example:80@evil.test/",
            "https:/evil.test",
            " https://evil.test",
            "https://ridgeline.example\t.evil.test",
            "ftp://ridgeline.example/",
            "",
        ] {
            assert!(check_destination(bad, &allowed()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_visitor_id_goes_before_the_fragment() {
        let t = tracked_url("https://ridgeline.example/p#top", "Affiliates", "LEO20");
        assert_eq!(
            with_visitor(&t, "v9"),
            "https://ridgeline.example/p?utm_source=kith&utm_medium=referral&utm_campaign=Affiliates&utm_content=LEO20&kith_ref=v9#top"
        );
    }

    #[test]
    fn a_single_use_code_rides_on_the_landing_url_and_a_stale_one_is_dropped() {
        let t = tracked_url(
            "https://ridgeline.example/p?kith_code=OLD-1#top",
            "A",
            "LEO20",
        );
        assert_eq!(
            with_single_use_code(&with_visitor(&t, "v9"), "LEO20-0A1B2C3D4E"),
            "https://ridgeline.example/p?utm_source=kith&utm_medium=referral&utm_campaign=A&utm_content=LEO20&kith_ref=v9&kith_code=LEO20-0A1B2C3D4E#top"
        );
    }

    #[test]
    fn tracked_urls_carry_kiths_utm_parameters_and_keep_the_rest() {
        assert_eq!(
            tracked_url(
                "https://ridgeline.example/p?variant=2&utm_source=x#reviews",
                "Spring Ambassadors",
                "MAYA15"
            ),
            "https://ridgeline.example/p?variant=2&utm_source=kith&utm_medium=referral&utm_campaign=Spring%20Ambassadors&utm_content=MAYA15#reviews"
        );
    }
}
