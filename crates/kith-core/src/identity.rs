//! Identity resolution: which social profiles belong to which of the brand's people.
//!
//! Each link carries a confidence and the reason for it. Evidence, strongest first:
//! a handle the person declared; the person's email in the profile's bio; a profile
//! named in the bio or website of a profile the person declared; the person's name in
//! the profile's name or handle together with their city in its bio. Links below
//! [`AUTO_LINK`] are never used for scoring — they go to a person for review — and a
//! person's confirmation (or rejection) always wins over the heuristics.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::handle::{Handle, Platform};
use crate::record::{Person, Profile};

/// Links at or above this confidence are used without review.
pub const AUTO_LINK: f64 = 0.8;
/// Links at or above this (and below [`AUTO_LINK`]) are offered for review.
pub const REVIEW: f64 = 0.5;

/// Why a person was linked to a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkReason {
    Confirmed,
    DeclaredHandle,
    EmailInBio,
    LinkedFromOwnProfile,
    NameAndCity,
    NameOnly,
}

impl LinkReason {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkReason::Confirmed => "confirmed by a person",
            LinkReason::DeclaredHandle => "handle the person gave",
            LinkReason::EmailInBio => "their email is in the bio",
            LinkReason::LinkedFromOwnProfile => "linked from a profile they gave",
            LinkReason::NameAndCity => "same name, and their city in the bio",
            LinkReason::NameOnly => "same name only",
        }
    }
}

/// A person ↔ profile link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub person_id: String,
    pub platform: Platform,
    pub handle: Handle,
    /// 0–1.
    pub confidence: f64,
    pub reason: LinkReason,
}

/// A person's decision on a proposed link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub person_id: String,
    pub platform: Platform,
    pub handle: Handle,
    pub accepted: bool,
}

/// The outcome: links used for scoring, and uncertain ones to review.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolution {
    /// At most one person per profile; deterministic order (platform, handle).
    pub links: Vec<Link>,
    pub to_review: Vec<Link>,
}

/// One claim on a profile while resolving: who, how strongly, why. It borrows; a [`Link`]
/// is made only for what resolution returns.
#[derive(Debug, Clone, Copy)]
struct Claim<'a> {
    person_id: &'a str,
    confidence: f64,
    reason: LinkReason,
}

impl<'a> Claim<'a> {
    fn new(person: &'a Person, confidence: f64, reason: LinkReason) -> Self {
        Claim {
            person_id: &person.id,
            confidence,
            reason,
        }
    }

    fn link(&self, platform: Platform, handle: &Handle) -> Link {
        Link {
            person_id: self.person_id.to_owned(),
            platform,
            handle: handle.clone(),
            confidence: self.confidence,
            reason: self.reason,
        }
    }
}

type Key<'a> = (Platform, &'a Handle);

/// Resolves every person against every profile. People and profiles may come in any
/// order; the result does not depend on it.
///
/// Claims are gathered per profile (by its position, not in a map keyed by handle), each
/// without an allocation; every profile's claims are then weighed on their own. Claims
/// are totally ordered (confidence, reason, person id) and equal claims are the same
/// link, so the order they are gathered in never shows in the result.
pub fn resolve(
    people: &[Person],
    profiles: &[Profile],
    confirmations: &[Confirmation],
) -> Resolution {
    // A profile's claims go to one slot per key: the last profile with that key, which
    // is also the one whose bio and website count as the profile's.
    let slot: HashMap<Key<'_>, usize> = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.platform, &p.handle), i))
        .collect();
    let mut claims: Vec<Vec<Claim<'_>>> = vec![Vec::new(); profiles.len()];
    // Confirmed links to profiles that were not given.
    let mut elsewhere: HashMap<Key<'_>, Vec<Claim<'_>>> = HashMap::new();

    let rejected: HashSet<(&str, Platform, &Handle)> = confirmations
        .iter()
        .filter(|c| !c.accepted)
        .map(|c| (c.person_id.as_str(), c.platform, &c.handle))
        .collect();
    for c in confirmations.iter().filter(|c| c.accepted) {
        let claim = Claim {
            person_id: &c.person_id,
            confidence: 1.0,
            reason: LinkReason::Confirmed,
        };
        match slot.get(&(c.platform, &c.handle)) {
            Some(&i) => claims[i].push(claim),
            None => elsewhere
                .entry((c.platform, &c.handle))
                .or_default()
                .push(claim),
        }
    }

    // Declared handles, and what the declared profiles point to.
    for person in people {
        for (platform, handle) in person.handles.iter() {
            let Some(&own) = slot.get(&(platform, handle)) else {
                continue;
            };
            claims[own].push(Claim::new(person, 1.0, LinkReason::DeclaredHandle));
            for (p, h) in mentioned_profiles(&profiles[own]) {
                if p == platform {
                    continue;
                }
                if let Some(&i) = slot.get(&(p, &h)) {
                    claims[i].push(Claim::new(person, 0.9, LinkReason::LinkedFromOwnProfile));
                }
            }
        }
    }

    // Emails in bios: one index over people, one scan over profiles.
    let by_email: HashMap<&str, &Person> = people
        .iter()
        .filter_map(|p| p.email.as_deref().map(|e| (e, p)))
        .collect();
    // People by name, each with their city as a bio would be searched for it.
    let by_name: HashMap<String, Vec<(&Person, Option<String>)>> = {
        let mut m: HashMap<String, Vec<(&Person, Option<String>)>> = HashMap::new();
        for p in people {
            if let Some(name) = full_name_key(p) {
                let city = p
                    .city
                    .as_deref()
                    .map(str::to_lowercase)
                    .filter(|c| c.len() >= 3);
                m.entry(name).or_default().push((p, city));
            }
        }
        m
    };
    for profile in profiles {
        let Some(&i) = slot.get(&(profile.platform, &profile.handle)) else {
            continue;
        };
        let bio = profile.bio.as_deref().unwrap_or_default().to_lowercase();
        for word in bio.split(|c: char| c.is_whitespace() || c == ',' || c == '|') {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if let Some(person) = by_email.get(word) {
                claims[i].push(Claim::new(person, 0.95, LinkReason::EmailInBio));
            }
        }
        for key in name_keys(profile) {
            for (person, city) in by_name.get(&key).into_iter().flatten() {
                let claim = match city {
                    Some(c) if bio.contains(c.as_str()) => {
                        Claim::new(person, 0.8, LinkReason::NameAndCity)
                    }
                    _ => Claim::new(person, 0.5, LinkReason::NameOnly),
                };
                claims[i].push(claim);
            }
        }
    }

    // Every claimed profile, by platform and handle.
    let mut claimed: Vec<(Key<'_>, Vec<Claim<'_>>)> = claims
        .into_iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .map(|(i, c)| ((profiles[i].platform, &profiles[i].handle), c))
        .chain(elsewhere)
        .collect();
    claimed.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let mut resolution = Resolution::default();
    for ((platform, handle), mut candidates) in claimed {
        candidates.retain(|c| !rejected.contains(&(c.person_id, platform, handle)));
        // Strongest first; ties go to the smallest person id so the result is stable.
        candidates.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.reason.cmp(&b.reason))
                .then_with(|| a.person_id.cmp(b.person_id))
        });
        candidates.dedup_by(|a, b| a.person_id == b.person_id);
        let Some(top) = candidates.first() else {
            continue;
        };
        // Two different people with equally strong, non-confirmed claims: a person decides.
        let contested = candidates.get(1).is_some_and(|second| {
            second.confidence == top.confidence && top.reason != LinkReason::Confirmed
        });
        if top.confidence >= AUTO_LINK && !contested {
            resolution.links.push(top.link(platform, handle));
        } else {
            resolution.to_review.extend(
                candidates
                    .iter()
                    .filter(|c| c.confidence >= REVIEW)
                    .map(|c| c.link(platform, handle)),
            );
        }
    }
    resolution
}

/// Letters of a name, lower-cased, without spaces or punctuation: "Maya Chen" → "mayachen".
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn full_name_key(person: &Person) -> Option<String> {
    let first = squash(person.first_name.as_deref()?);
    let last = squash(person.last_name.as_deref()?);
    (first.len() >= 2 && last.len() >= 2).then(|| format!("{first}{last}"))
}

/// The name keys a profile offers: its display name, and its handle with separators and
/// trailing digits removed ("maya.chen_92" → "mayachen").
fn name_keys(profile: &Profile) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(name) = profile.display_name.as_deref() {
        keys.push(squash(name));
    }
    let handle = squash(profile.handle.as_str());
    keys.push(
        handle
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .to_owned(),
    );
    keys.retain(|k| k.len() >= 5);
    keys.sort();
    keys.dedup();
    keys
}

/// Profiles named in a profile's bio or website: `instagram.com/x`, `tiktok.com/@x`,
/// `youtube.com/@x`, `x.com/x`, `twitter.com/x`, and "IG: @x" / "TikTok: @x".
pub fn mentioned_profiles(profile: &Profile) -> Vec<(Platform, Handle)> {
    let mut text = profile.bio.clone().unwrap_or_default();
    if let Some(url) = &profile.external_url {
        text.push(' ');
        text.push_str(url);
    }
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    let sites: [(&str, Platform); 6] = [
        ("instagram.com/", Platform::Instagram),
        ("tiktok.com/@", Platform::Tiktok),
        ("youtube.com/@", Platform::Youtube),
        ("twitter.com/", Platform::X),
        ("x.com/", Platform::X),
        ("ig: @", Platform::Instagram),
    ];
    for (marker, platform) in sites {
        for (i, _) in lower.match_indices(marker) {
            // "x.com/" must not match inside "tiktok.com/" or "box.com/".
            if marker == "x.com/" && lower[..i].ends_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            let rest = &lower[i + marker.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
                .collect();
            if let Ok(handle) = Handle::parse(name.trim_end_matches('.')) {
                found.push((platform, handle));
            }
        }
    }
    for (marker, platform) in [("tiktok: @", Platform::Tiktok), ("tt: @", Platform::Tiktok)] {
        for (i, _) in lower.match_indices(marker) {
            let name: String = lower[i + marker.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
                .collect();
            if let Ok(handle) = Handle::parse(&name) {
                found.push((platform, handle));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests;
