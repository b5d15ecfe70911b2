//! Which member an order belongs to, and whether it looks like fraud.
//!
//! A member's discount code on the order wins. Otherwise the last click of the same
//! visitor within the attribution window: the redirect sets a first-party cookie with
//! the visitor's id, and the storefront passes it on as a landing parameter (`kith_ref`)
//! or a note attribute. Failing both, a landing URL that still carries kith's
//! `utm_content` code counts as a visit from that member's link.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::program::code::ReferralCode;

/// The default attribution window: a typical return window.
pub const DEFAULT_WINDOW: Duration = Duration::days(30);

/// A stored click on a member's link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    pub code: ReferralCode,
    /// The id in the visitor's referral cookie.
    pub visitor: String,
    pub at: OffsetDateTime,
}

/// What an order says about where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evidence {
    pub discount_codes: Vec<String>,
    /// The referral cookie's visitor id, passed on by the storefront.
    pub visitor: Option<String>,
    /// A code found in the landing URL's `utm_content` (when `utm_source=kith`).
    pub landing_code: Option<ReferralCode>,
}

/// How an order was attributed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Attribution {
    DiscountCode {
        code: ReferralCode,
    },
    Click {
        code: ReferralCode,
        clicked_at: String,
    },
    LandingUrl {
        code: ReferralCode,
    },
    Unattributed,
}

impl Attribution {
    pub fn code(&self) -> Option<&ReferralCode> {
        match self {
            Attribution::DiscountCode { code }
            | Attribution::Click { code, .. }
            | Attribution::LandingUrl { code } => Some(code),
            Attribution::Unattributed => None,
        }
    }
}

/// Attributes an order placed at `placed_at`. `is_member_code` says whether a code
/// belongs to a member who earns; `visitor_clicks` are the clicks of `evidence.visitor`.
pub fn attribute(
    evidence: &Evidence,
    placed_at: OffsetDateTime,
    is_member_code: impl Fn(&ReferralCode) -> bool,
    visitor_clicks: &[Click],
    window: Duration,
) -> Attribution {
    for text in &evidence.discount_codes {
        if let Ok(code) = ReferralCode::parse(text)
            && is_member_code(&code)
        {
            return Attribution::DiscountCode { code };
        }
    }
    let last = visitor_clicks
        .iter()
        .filter(|c| Some(&c.visitor) == evidence.visitor.as_ref())
        .filter(|c| c.at <= placed_at && placed_at - c.at <= window && is_member_code(&c.code))
        .max_by(|a, b| a.at.cmp(&b.at).then_with(|| a.code.cmp(&b.code)));
    if let Some(click) = last {
        let clicked_at = click
            .at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        return Attribution::Click {
            code: click.code.clone(),
            clicked_at,
        };
    }
    match &evidence.landing_code {
        Some(code) if is_member_code(code) => Attribution::LandingUrl { code: code.clone() },
        _ => Attribution::Unattributed,
    }
}

/// Reads `kith_ref` and kith's `utm_content` from a landing URL or path
/// (`/products/x?utm_source=kith&utm_content=MAYA15&kith_ref=v-123`).
pub fn landing_evidence(landing_site: &str) -> (Option<String>, Option<ReferralCode>) {
    let query = landing_site.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or_default();
    let mut visitor = None;
    let mut content = None;
    let mut from_kith = false;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value);
        match key {
            "kith_ref" if !value.is_empty() && value.len() <= 64 => visitor = Some(value),
            "utm_content" => content = ReferralCode::parse(&value).ok(),
            "utm_source" => from_kith = value.eq_ignore_ascii_case("kith"),
            _ => {}
        }
    }
    (visitor, if from_kith { content } else { None })
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why an attributed order waits for review instead of earning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum FraudFlag {
    /// The buyer is the member.
    SelfReferral,
    /// More than three orders from one network address in 24 hours.
    ManyOrdersFromOneAddress { orders: u32 },
    /// The member's link was clicked in a burst no audience produces.
    ClickBurst { clicks: u32 },
    /// The brand reported the code as leaked (e.g. on a coupon site).
    LeakedCode,
}

impl FraudFlag {
    /// The rule's name, as stored and as JSON's `reason` says it.
    pub fn key(&self) -> &'static str {
        match self {
            FraudFlag::SelfReferral => "self_referral",
            FraudFlag::ManyOrdersFromOneAddress { .. } => "many_orders_from_one_address",
            FraudFlag::ClickBurst { .. } => "click_burst",
            FraudFlag::LeakedCode => "leaked_code",
        }
    }

    /// The reason in words, for the person reviewing the order.
    pub fn explain(&self) -> String {
        match self {
            FraudFlag::SelfReferral => "the buyer is the member (self-referral)".into(),
            FraudFlag::ManyOrdersFromOneAddress { orders } => {
                format!("{orders} orders from one network address within 24 hours")
            }
            FraudFlag::ClickBurst { clicks } => {
                format!("{clicks} clicks on the member's link in the hour before the order")
            }
            FraudFlag::LeakedCode => "the code was reported as leaked".into(),
        }
    }
}

/// Checks an attributed order. `buyer` and `member` are (person id, email) pairs.
pub fn fraud_flags(
    buyer: (Option<&str>, Option<&str>),
    member: (&str, Option<&str>),
    orders_from_address_24h: u32,
    member_clicks_last_hour: u32,
    code_reported_leaked: bool,
) -> Vec<FraudFlag> {
    let mut flags = Vec::new();
    let same_person = buyer.0 == Some(member.0);
    let same_email = match (buyer.1, member.1) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => false,
    };
    if same_person || same_email {
        flags.push(FraudFlag::SelfReferral);
    }
    if orders_from_address_24h > 3 {
        flags.push(FraudFlag::ManyOrdersFromOneAddress {
            orders: orders_from_address_24h,
        });
    }
    // A member with a real audience rarely gets hundreds of human clicks in an hour; the
    // threshold is deliberately high so a post going viral is reviewed, not rejected.
    if member_clicks_last_hour > 500 {
        flags.push(FraudFlag::ClickBurst {
            clicks: member_clicks_last_hour,
        });
    }
    if code_reported_leaked {
        flags.push(FraudFlag::LeakedCode);
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn code(text: &str) -> ReferralCode {
        ReferralCode::parse(text).unwrap()
    }

    fn members(c: &ReferralCode) -> bool {
        ["MAYA15", "LEO20"].contains(&c.as_str())
    }

    const PLACED: OffsetDateTime = datetime!(2026-06-30 12:00 UTC);

    #[test]
    fn a_flags_key_is_its_json_reason() {
        for flag in [
            FraudFlag::SelfReferral,
            FraudFlag::ManyOrdersFromOneAddress { orders: 4 },
            FraudFlag::ClickBurst { clicks: 501 },
            FraudFlag::LeakedCode,
        ] {
            assert_eq!(serde_json::to_value(&flag).unwrap()["reason"], flag.key());
        }
    }

    #[test]
    fn each_flag_explains_itself_with_its_figures() {
        assert_eq!(
            FraudFlag::ManyOrdersFromOneAddress { orders: 5 }.explain(),
            "5 orders from one network address within 24 hours"
        );
        assert!(
            FraudFlag::ClickBurst { clicks: 812 }
                .explain()
                .starts_with("812 clicks")
        );
        assert!(FraudFlag::SelfReferral.explain().contains("self-referral"));
        assert!(FraudFlag::LeakedCode.explain().contains("leaked"));
    }

    fn click(c: &str, days_before: i64) -> Click {
        Click {
            code: code(c),
            visitor: "v1".into(),
            at: PLACED - Duration::days(days_before),
        }
    }

    #[test]
    fn the_members_discount_code_wins_over_clicks() {
        let e = Evidence {
            discount_codes: vec!["WELCOME10".into(), "maya15".into()],
            visitor: Some("v1".into()),
            landing_code: None,
        };
        let a = attribute(&e, PLACED, members, &[click("LEO20", 1)], DEFAULT_WINDOW);
        assert_eq!(
            a,
            Attribution::DiscountCode {
                code: code("MAYA15")
            }
        );
    }

    #[test]
    fn otherwise_the_last_click_within_the_window_wins() {
        let e = Evidence {
            visitor: Some("v1".into()),
            ..Evidence::default()
        };
        let clicks = [click("MAYA15", 20), click("LEO20", 3), click("MAYA15", 45)];
        let a = attribute(&e, PLACED, members, &clicks, DEFAULT_WINDOW);
        assert_eq!(a.code(), Some(&code("LEO20")));
    }

    #[test]
    fn clicks_outside_the_window_or_after_the_order_do_not_count() {
        let e = Evidence {
            visitor: Some("v1".into()),
            ..Evidence::default()
        };
        let clicks = [click("MAYA15", 31), click("LEO20", -1)];
        assert_eq!(
            attribute(&e, PLACED, members, &clicks, DEFAULT_WINDOW),
            Attribution::Unattributed
        );
    }

    #[test]
    fn unknown_codes_are_not_attributed() {
        let e = Evidence {
            discount_codes: vec!["SUMMER".into()],
            ..Evidence::default()
        };
        assert_eq!(
            attribute(&e, PLACED, members, &[], DEFAULT_WINDOW),
            Attribution::Unattributed
        );
    }

    #[test]
    fn landing_urls_give_the_visitor_and_kiths_code() {
        let (v, c) =
            landing_evidence("/products/blend?utm_source=kith&utm_content=maya15&kith_ref=v%2D9");
        assert_eq!(v.as_deref(), Some("v-9"));
        assert_eq!(c, Some(code("MAYA15")));
        let (_, c) = landing_evidence("/?utm_source=newsletter&utm_content=MAYA15");
        assert_eq!(c, None, "another source's utm_content is not a kith code");
    }

    #[test]
    fn self_referral_and_velocity_are_flagged() {
        let flags = fraud_flags((Some("c1"), None), ("c1", None), 5, 0, false);
        assert_eq!(
            flags,
            [
                FraudFlag::SelfReferral,
                FraudFlag::ManyOrdersFromOneAddress { orders: 5 }
            ]
        );
        let flags = fraud_flags((None, Some("A@x.co")), ("c1", Some("a@x.co")), 1, 0, true);
        assert_eq!(flags, [FraudFlag::SelfReferral, FraudFlag::LeakedCode]);
        assert!(fraud_flags((Some("c2"), None), ("c1", None), 3, 10, false).is_empty());
    }
}
