//! Identity resolution's rules, and the resolution checked against its first,
//! straightforward implementation on generated populations full of collisions.

use proptest::prelude::*;

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

// Small pools, so that names, cities, emails, handles and mentions collide all the time.
const FIRST: [&str; 3] = ["Maya", "Sam", "Ana"];
const LAST: [&str; 2] = ["Chen", "Lee"];
const CITIES: [&str; 3] = ["Denver", "Austin", "Bo"];
const HANDLES: [&str; 7] = [
    "maya.chen",
    "samlee",
    "ana_1",
    "zed",
    "mayachen",
    "tt9",
    "maya.chen_92",
];
const PLATFORMS: [Platform; 3] = [Platform::Instagram, Platform::Tiktok, Platform::X];
const DISPLAY: [&str; 4] = ["Maya Chen", "Sam Lee", "", "Ana Lee"];
const BIO: [&str; 8] = [
    "p1@x.com",
    "Denver",
    "tiktok.com/@samlee",
    "instagram.com/maya.chen",
    "ig: @zed",
    "austin eats",
    "x.com/ana_1",
    "tt: @tt9",
];

fn pick<T: Copy>(pool: &[T], i: usize) -> T {
    pool[i % pool.len()]
}

fn handle_of(i: usize) -> Handle {
    Handle::parse(pick(&HANDLES, i)).unwrap()
}

/// Chosen by index, `None` for an index past the pool.
fn maybe<T: Copy>(pool: &[T], i: usize) -> Option<T> {
    pool.get(i).copied()
}

fn generated_person(
    (id, email, first, last, city, ig, tt): (usize, usize, usize, usize, usize, usize, usize),
) -> Person {
    let mut p = Person {
        id: format!("p{id}"),
        email: (email < 6).then(|| format!("p{email}@x.com")),
        first_name: maybe(&FIRST, first).map(Into::into),
        last_name: maybe(&LAST, last).map(Into::into),
        city: maybe(&CITIES, city).map(Into::into),
        ..Person::default()
    };
    p.handles.instagram = (ig < HANDLES.len()).then(|| handle_of(ig));
    p.handles.tiktok = (tt < HANDLES.len()).then(|| handle_of(tt));
    p
}

fn generated_profile(
    (platform, handle, name, bio, url): (usize, usize, usize, Vec<usize>, bool),
) -> Profile {
    let bio: Vec<&str> = bio.into_iter().map(|i| pick(&BIO, i)).collect();
    let mut p = profile(
        pick(&PLATFORMS, platform),
        pick(&HANDLES, handle),
        pick(&DISPLAY, name),
        &bio.join(" | "),
    );
    p.external_url = url.then(|| "https://tiktok.com/@mayachen".into());
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn resolution_gives_exactly_what_the_first_implementation_gave(
        people in prop::collection::vec(
            (0usize..10, 0usize..8, 0usize..4, 0usize..3, 0usize..4, 0usize..10, 0usize..10),
            0..14,
        ),
        profiles in prop::collection::vec(
            (0usize..3, 0usize..7, 0usize..4, prop::collection::vec(0usize..8, 0..4), any::<bool>()),
            0..12,
        ),
        decisions in prop::collection::vec((0usize..10, 0usize..3, 0usize..7, any::<bool>()), 0..6),
    ) {
        let people: Vec<Person> = people.into_iter().map(generated_person).collect();
        let profiles: Vec<Profile> = profiles.into_iter().map(generated_profile).collect();
        let confirmations: Vec<Confirmation> = decisions
            .into_iter()
            .map(|(person, platform, handle, accepted)| Confirmation {
                person_id: format!("p{person}"),
                platform: pick(&PLATFORMS, platform),
                handle: handle_of(handle),
                accepted,
            })
            .collect();
        let expected = reference::resolve(&people, &profiles, &confirmations);
        prop_assert_eq!(resolve(&people, &profiles, &confirmations), expected);
    }
}

/// The first implementation, kept as the reference: one `BTreeMap` of links per handle.
mod reference {
    use std::collections::{BTreeMap, HashMap, HashSet};

    use super::super::{
        AUTO_LINK, Confirmation, Link, LinkReason, REVIEW, Resolution, full_name_key,
        mentioned_profiles, name_keys,
    };
    use crate::handle::{Handle, Platform};
    use crate::record::{Person, Profile};

    type Key = (Platform, Handle);

    /// Resolution as it was before claims were gathered per profile: the specification
    /// the faster one is checked against.
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
            candidates
                .retain(|l| !rejected.contains(&(l.person_id.as_str(), l.platform, &l.handle)));
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
}
