//! Field activations: an event with a date, a place, a region and a capacity. Members
//! of the region are invited, attendees check in, and the event's code attributes the
//! orders that use it.
//!
//! The settings live in a program's `details` (JSON written by the CLI and the
//! dashboard); [`Activation::from_details`] reads them, ignoring what is not there.

use serde_json::Value;

use super::code::ReferralCode;

/// An activation's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activation {
    /// RFC 3339, as stored.
    pub date: Option<String>,
    pub place: Option<String>,
    /// Whose people are invited: matched against a person's region, then their city.
    pub region: Option<String>,
    /// The most members (not removed) the event takes; `None` has no limit.
    pub capacity: Option<u32>,
    /// What attendees type to check in, and buyers at checkout.
    pub event_code: Option<ReferralCode>,
}

/// Why a group cannot join an activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the activation takes {capacity} people and {seated} places are taken")]
pub struct Full {
    pub capacity: u32,
    pub seated: u64,
}

fn text(details: &Value, key: &str) -> Option<String> {
    details
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

impl Activation {
    pub fn from_details(details: &Value) -> Activation {
        Activation {
            date: text(details, "date"),
            place: text(details, "place"),
            region: text(details, "region"),
            capacity: details
                .get("capacity")
                .and_then(Value::as_u64)
                .and_then(|c| u32::try_from(c).ok()),
            event_code: text(details, "event_code").and_then(|c| ReferralCode::parse(&c).ok()),
        }
    }

    /// The settings as a program's `details`, leaving out what is not set.
    pub fn to_details(&self) -> Value {
        let mut map = serde_json::Map::new();
        for (key, value) in [
            ("date", &self.date),
            ("place", &self.place),
            ("region", &self.region),
        ] {
            if let Some(v) = value {
                map.insert(key.into(), v.clone().into());
            }
        }
        if let Some(c) = self.capacity {
            map.insert("capacity".into(), c.into());
        }
        if let Some(code) = &self.event_code {
            map.insert("event_code".into(), code.as_str().into());
        }
        Value::Object(map)
    }

    /// Places left when `seated` are taken; `None` when there is no limit.
    pub fn seats_left(&self, seated: u64) -> Option<u64> {
        self.capacity.map(|c| u64::from(c).saturating_sub(seated))
    }

    /// Whether `more` people can join when `seated` places are taken.
    pub fn admit(&self, seated: u64, more: u64) -> Result<(), Full> {
        match self.seats_left(seated) {
            Some(left) if more > left => Err(Full {
                capacity: self.capacity.unwrap_or(0),
                seated,
            }),
            _ => Ok(()),
        }
    }

    /// Whether a person of this region and city belongs to the event's region. Both are
    /// compared trimmed and whatever their case; an event without a region has no one.
    pub fn in_region(&self, region: Option<&str>, city: Option<&str>) -> bool {
        let Some(wanted) = self.region.as_deref() else {
            return false;
        };
        [region, city]
            .into_iter()
            .flatten()
            .any(|r| r.trim().eq_ignore_ascii_case(wanted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a_details() -> Value {
        serde_json::json!({
            "date": "2026-12-12T00:00:00Z", "place": "Ridgeline Roastery",
            "region": " CO ", "capacity": 40, "event_code": "brewalong"
        })
    }

    #[test]
    fn settings_are_read_from_the_programs_details() {
        let a = Activation::from_details(&a_details());
        assert_eq!(a.region.as_deref(), Some("CO"));
        assert_eq!(a.capacity, Some(40));
        assert_eq!(a.event_code.unwrap().as_str(), "BREWALONG");
        assert_eq!(
            Activation::from_details(&serde_json::json!({})),
            Activation::default()
        );
    }

    #[test]
    fn capacity_admits_up_to_the_last_place_and_no_further() {
        let a = Activation {
            capacity: Some(3),
            ..Activation::default()
        };
        assert_eq!(a.admit(1, 2), Ok(()));
        assert_eq!(
            a.admit(2, 2),
            Err(Full {
                capacity: 3,
                seated: 2
            })
        );
        assert_eq!(a.seats_left(5), Some(0));
        assert_eq!(Activation::default().admit(1_000, 1_000), Ok(()));
    }

    #[test]
    fn the_region_matches_a_persons_region_or_city_whatever_the_case() {
        let a = Activation {
            region: Some("Boulder".into()),
            ..Activation::default()
        };
        assert!(a.in_region(Some("CO"), Some("boulder")));
        assert!(a.in_region(Some("BOULDER "), None));
        assert!(!a.in_region(Some("CA"), Some("Denver")));
        assert!(!Activation::default().in_region(Some("CO"), None));
    }
}
