//! Identity resolution: which social profiles belong to which of the brand's people.
//!
//! Each link carries a confidence and the reason for it. Evidence, strongest first:
//! a handle the person declared; the person's email in the profile's bio; a profile
//! named in the bio or website of a profile the person declared; the person's name in
//! the profile's name or handle together with their city in its bio. Links below
//! [`AUTO_LINK`] are never used for scoring — they go to a person for review — and a
//! person's confirmation (or rejection) always wins over the heuristics.

use std::collections::{BTreeMap, HashMap, HashSet};

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

type Key = (Platform, Handle);

/// Resolves every person against every profile. People and profiles may come in any
/// order; the result does not depend on it.
pub fn resolve(
    people: &[Person],
    profiles: &[Profile],
    confirmations: &[Confirmation],
) -> Resolution {
    let profile_keys: HashSet<Key> = profiles
        .iter()
        .map(|p| (p.platform, p.handle.clone()))
        .collect();
    let mut best: BTreeMap<Key, Vec<Link>> = BTreeMap::new();
    let mut push = |link: Link| {
        best.entry((link.platform, link.handle.clone()))
            .or_default()
            .push(link)
    };

    let rejected: HashSet<(&str, Platform, &Handle)> = confirmations
        .iter()
        .filter(|c| !c.accepted)
        .map(|c| (c.person_id.as_str(), c.platform, &c.handle))
        .collect();
    for c in confirmations.iter().filter(|c| c.accepted) {
        push(Link {
            person_id: c.person_id.clone(),
            platform: c.platform,
            handle: c.handle.clone(),
            confidence: 1.0,
            reason: LinkReason::Confirmed,
        });
    }

    // Declared handles, and what the declared profiles point to.
    let by_key: HashMap<Key, &Profile> = profiles
        .iter()
        .map(|p| ((p.platform, p.handle.clone()), p))
        .collect();
    for person in people {
        for (platform, handle) in person.handles.iter() {
            let key = (platform, handle.clone());
            if !profile_keys.contains(&key) {
                continue;
            }
            push(link(
                person,
                platform,
                handle,
                1.0,
                LinkReason::DeclaredHandle,
            ));
            if let Some(own) = by_key.get(&key) {
                for (p, h) in mentioned_profiles(own) {
                    if p != platform && profile_keys.contains(&(p, h.clone())) {
                        push(link(person, p, &h, 0.9, LinkReason::LinkedFromOwnProfile));
                    }
                }
            }
        }
    }

    // Emails in bios: one index over people, one scan over profiles.
    let by_email: HashMap<&str, &Person> = people
        .iter()
        .filter_map(|p| p.email.as_deref().map(|e| (e, p)))
        .collect();
    let by_name: HashMap<String, Vec<&Person>> = {
        let mut m: HashMap<String, Vec<&Person>> = HashMap::new();
        for p in people {
            if let Some(name) = full_name_key(p) {
                m.entry(name).or_default().push(p);
            }
        }
        m
    };
    for profile in profiles {
        let bio = profile.bio.as_deref().unwrap_or_default().to_lowercase();
        for word in bio.split(|c: char| c.is_whitespace() || c == ',' || c == '|') {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if let Some(person) = by_email.get(word) {
                push(link(
                    person,
                    profile.platform,
                    &profile.handle,
                    0.95,
                    LinkReason::EmailInBio,
                ));
            }
        }
        for key in name_keys(profile) {
            for person in by_name.get(&key).into_iter().flatten() {
                let city = person
                    .city
                    .as_deref()
                    .map(str::to_lowercase)
                    .filter(|c| c.len() >= 3);
                let (confidence, reason) = match city {
                    Some(c) if bio.contains(&c) => (0.8, LinkReason::NameAndCity),
                    _ => (0.5, LinkReason::NameOnly),
                };
                push(link(
                    person,
                    profile.platform,
                    &profile.handle,
                    confidence,
                    reason,
                ));
            }
        }
    }

    let mut resolution = Resolution::default();
    for (_, mut candidates) in best {
        candidates.retain(|l| !rejected.contains(&(l.person_id.as_str(), l.platform, &l.handle)));
        // Strongest first; ties go to the smallest person id so the result is stable.
        candidates.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.reason.cmp(&b.reason))
                .then_with(|| a.person_id.cmp(&b.person_id))
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
            resolution.links.push(top.clone());
        } else {
            resolution
                .to_review
                .extend(candidates.into_iter().filter(|l| l.confidence >= REVIEW));
        }
    }
    resolution
}

fn link(
    person: &Person,
    platform: Platform,
    handle: &Handle,
    confidence: f64,
    reason: LinkReason,
) -> Link {
    Link {
        person_id: person.id.clone(),
        platform,
        handle: handle.clone(),
        confidence,
        reason,
    }
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
mod tests {
    use super::*;
    use crate::record::Handles;

    fn person(id: &str, first: &str, last: &str, city: &str) -> Person {
        Person {
            id: id.into(),
            email: Some(format!("{id}@example.com")),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            city: Some(city.into()),
            ..Person::default()
        }
    }

    fn profile(platform: Platform, handle: &str, name: &str, bio: &str) -> Profile {
        Profile {
            platform,
            handle: Handle::parse(handle).unwrap(),
            user_id: None,
            display_name: Some(name.into()),
            bio: Some(bio.into()),
            followers: Some(1_000),
            following: None,
            posts_count: None,
            is_verified: None,
            is_private: None,
            has_profile_pic: None,
            external_url: None,
            fetched_at: None,
            follower_history: Vec::new(),
        }
    }

    #[test]
    fn a_declared_handle_links_with_full_confidence() {
        let mut p = person("c1", "Maya", "Chen", "Denver");
        p.handles = Handles {
            instagram: Handle::parse("@Maya.Eats").ok(),
            ..Handles::default()
        };
        let r = resolve(
            &[p],
            &[profile(Platform::Instagram, "maya.eats", "", "")],
            &[],
        );
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].reason, LinkReason::DeclaredHandle);
    }

    #[test]
    fn an_email_in_the_bio_links_the_profile() {
        let p = person("c1", "Maya", "Chen", "Denver");
        let prof = profile(Platform::Tiktok, "mayacooks", "", "collabs: c1@example.com");
        let r = resolve(&[p], &[prof], &[]);
        assert_eq!(r.links[0].reason, LinkReason::EmailInBio);
    }

    #[test]
    fn a_profile_named_in_a_declared_profiles_bio_is_linked() {
        let mut p = person("c1", "Maya", "Chen", "Denver");
        p.handles.instagram = Handle::parse("maya.eats").ok();
        let ig = profile(
            Platform::Instagram,
            "maya.eats",
            "",
            "more on tiktok.com/@mayacooks",
        );
        let tt = profile(Platform::Tiktok, "mayacooks", "", "");
        let r = resolve(&[p], &[ig, tt], &[]);
        let reasons: Vec<LinkReason> = r.links.iter().map(|l| l.reason).collect();
        assert_eq!(
            reasons,
            [LinkReason::DeclaredHandle, LinkReason::LinkedFromOwnProfile]
        );
    }

    #[test]
    fn name_and_city_link_but_a_name_alone_only_goes_to_review() {
        let p = person("c1", "Maya", "Chen", "Denver");
        let with_city = profile(
            Platform::Instagram,
            "mayachen",
            "Maya Chen",
            "Denver coffee nerd",
        );
        let name_only = profile(Platform::Tiktok, "maya.chen_92", "", "coffee nerd");
        let r = resolve(&[p], &[with_city, name_only], &[]);
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].reason, LinkReason::NameAndCity);
        assert_eq!(r.to_review.len(), 1);
        assert_eq!(r.to_review[0].reason, LinkReason::NameOnly);
    }

    #[test]
    fn two_people_with_the_same_name_and_city_are_left_for_review() {
        let a = person("c1", "Sam", "Lee", "Austin");
        let b = person("c2", "Sam", "Lee", "Austin");
        let prof = profile(Platform::Instagram, "samlee", "Sam Lee", "Austin eats");
        let r = resolve(&[a, b], &[prof], &[]);
        assert!(r.links.is_empty());
        assert_eq!(r.to_review.len(), 2);
    }

    #[test]
    fn confirmations_win_over_heuristics() {
        let p = person("c1", "Maya", "Chen", "Denver");
        let mut q = person("c2", "Ana", "Ruiz", "Boise");
        q.handles.instagram = Handle::parse("mayachen").ok();
        let prof = profile(Platform::Instagram, "mayachen", "Maya Chen", "");
        let handle = Handle::parse("mayachen").unwrap();
        let confirmations = [
            Confirmation {
                person_id: "c1".into(),
                platform: Platform::Instagram,
                handle: handle.clone(),
                accepted: true,
            },
            Confirmation {
                person_id: "c2".into(),
                platform: Platform::Instagram,
                handle,
                accepted: false,
            },
        ];
        let r = resolve(&[p, q], &[prof], &confirmations);
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].person_id, "c1");
        assert_eq!(r.links[0].reason, LinkReason::Confirmed);
    }

    #[test]
    fn x_links_are_not_found_inside_other_domains() {
        let prof = profile(
            Platform::Instagram,
            "a",
            "",
            "shop at inbox.com/deals and tiktok.com/@abc",
        );
        assert_eq!(
            mentioned_profiles(&prof),
            [(Platform::Tiktok, Handle::parse("abc").unwrap())]
        );
    }
}
