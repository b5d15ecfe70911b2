//! Who is on social media: the handles people declared, the profiles of people who tag
//! the brand but are not in its database, which of them are planted fakes, and the ids
//! platforms give users and posts. The profiles and posts themselves are made in
//! `profile.rs`.

use std::collections::HashSet;

use kith_core::{Handle, Platform};

use super::names::{self, FIRST_NAMES, LAST_NAMES};
use super::rng::{Rng, scramble};
use super::topics::TOPICS;
use super::{Attitude, DemoError, FakeKind, Member};

/// A profile to generate: whose it is and what it really is.
#[derive(Debug, Clone)]
pub struct Account {
    /// The person who declared it; `None` for a profile no person matches.
    pub member: Option<usize>,
    pub platform: Platform,
    pub handle: Handle,
    pub fake: Option<FakeKind>,
    /// Whether this profile posts about the brand.
    pub mentions_brand: bool,
}

/// What the generator knows about the person behind a profile.
#[derive(Debug, Clone)]
pub struct Owner<'a> {
    pub first: &'a str,
    pub last: &'a str,
    pub interests: &'a [usize],
    pub city: Option<&'a str>,
    pub attitude: Attitude,
    /// The job title of an employee.
    pub title: Option<&'static str>,
    /// 0–1: where this person's audiences sit in the band mix on every platform.
    pub clout: f64,
}

/// A person the brand does not know, behind an unmatched profile.
#[derive(Debug, Clone)]
pub struct Stranger {
    pub first: &'static str,
    pub last: &'static str,
    pub interests: Vec<usize>,
    pub attitude: Attitude,
    pub clout: f64,
}

#[derive(Debug)]
pub struct Social {
    pub(super) rng: Rng,
    /// Handles in use per platform: unique, as the platforms require.
    taken: [HashSet<String>; 4],
    post_seq: [u64; 4],
    user_seq: [u64; 4],
    /// Makes ids differ between seeds.
    salt: u64,
}

fn slot(p: Platform) -> usize {
    match p {
        Platform::Instagram => 0,
        Platform::Tiktok => 1,
        Platform::Youtube => 2,
        Platform::X => 3,
    }
}

fn parse_handle(text: &str) -> Result<Handle, DemoError> {
    Handle::parse(text).map_err(|e| DemoError::Invalid {
        what: "handle",
        value: text.to_owned(),
        reason: e.to_string(),
    })
}

/// Platforms limit handle length, and X allows no dots.
fn fit(platform: Platform, text: &str, limit_slack: usize) -> String {
    let (limit, text) = match platform {
        Platform::X => (15, text.replace('.', "_")),
        _ => (30, text.to_owned()),
    };
    text.chars().take(limit - limit_slack).collect()
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Eleven base64url characters holding all 64 bits: the shape of Instagram shortcodes
/// and YouTube video ids. Unique whenever `x` is.
fn base64_id(x: u64) -> String {
    (0..11)
        .map(|i| char::from(BASE64URL[((x >> (6 * i)) & 63) as usize]))
        .collect()
}

impl Social {
    pub fn new(seed: u64) -> Social {
        let mut rng = Rng::stream(seed, 4);
        let salt = rng.next_u64();
        Social {
            rng,
            taken: Default::default(),
            post_seq: [0; 4],
            user_seq: [0; 4],
            salt,
        }
    }

    fn claim(&mut self, platform: Platform, text: &str) -> bool {
        !text.is_empty() && self.taken[slot(platform)].insert(text.to_owned())
    }

    /// A handle made the way people make them: from their name and what they are into.
    fn name_handle(&mut self, first: &str, last: &str, word: &str) -> String {
        let (f, l) = (names::fold(first), names::fold(last));
        let initial = l.chars().next().unwrap_or('x');
        let rng = &mut self.rng;
        match rng.weighted(&[20.0, 14.0, 8.0, 14.0, 8.0, 4.0, 6.0, 8.0, 8.0, 4.0, 6.0]) {
            0 => format!("{f}.{l}"),
            1 => format!("{f}{l}"),
            2 => format!("{f}_{l}"),
            3 => format!("{f}.{word}"),
            4 => format!("{f}{l}{:02}", (rng.range(70, 106) % 100)),
            5 => format!("the{f}{l}"),
            6 => format!("{f}.{l}.{word}"),
            7 => format!("{f}{initial}{word}"),
            8 => format!("{f}_{word}"),
            9 => format!("{word}with{f}"),
            _ => format!("{l}.{f}"),
        }
    }

    fn new_handle(
        &mut self,
        platform: Platform,
        first: &str,
        last: &str,
        word: &str,
        reuse: Option<&str>,
    ) -> Result<Handle, DemoError> {
        if let Some(r) = reuse.filter(|_| self.rng.bernoulli(0.65)) {
            let text = fit(platform, r, 0);
            if self.claim(platform, &text) {
                return parse_handle(&text);
            }
        }
        for _ in 0..4 {
            let text = fit(platform, &self.name_handle(first, last, word), 0);
            if self.claim(platform, &text) {
                return parse_handle(&text);
            }
        }
        // Everything obvious is taken: add a number, as people do.
        let base = fit(platform, &self.name_handle(first, last, word), 4);
        let mut n = self.rng.range(2, 99);
        loop {
            let text = format!("{base}{n}");
            if self.claim(platform, &text) {
                return parse_handle(&text);
            }
            n += 1;
        }
    }

    /// `user84736251`, `9j4k8s7d2`, `emma493021`: the handles of mass-produced accounts.
    fn bot_handle(&mut self, platform: Platform) -> Result<Handle, DemoError> {
        loop {
            let rng = &mut self.rng;
            let text = match rng.below(4) {
                0 => format!("user{:08}", rng.below(100_000_000)),
                1 => format!(
                    "{}{:06}",
                    names::fold(rng.pick(FIRST_NAMES)),
                    rng.below(1_000_000)
                ),
                2 => {
                    let mut s = String::new();
                    for _ in 0..4 {
                        s.push(char::from(b'0' + rng.below(10) as u8));
                        s.push(char::from(b'a' + rng.below(26) as u8));
                    }
                    s.push(char::from(b'0' + rng.below(10) as u8));
                    s
                }
                _ => format!(
                    "{}_{:05}_",
                    rng.pick(&["promo", "giveaway", "likes", "free"]),
                    rng.below(100_000)
                ),
            };
            let text = fit(platform, &text, 0);
            if self.claim(platform, &text) {
                return parse_handle(&text);
            }
        }
    }

    /// Gives about a quarter of people (40 % of staff) handles, mostly Instagram, and
    /// plants bought-follower and pod accounts among them.
    pub fn assign_handles(&mut self, members: &mut [Member]) -> Result<Vec<Account>, DemoError> {
        let mut accounts = Vec::new();
        for (i, m) in members.iter_mut().enumerate() {
            let employee = m.person.title.is_some();
            if !self.rng.bernoulli(if employee { 0.40 } else { 0.25 }) {
                m.loyalty = !employee && self.rng.bernoulli(0.08);
                continue;
            }
            // Handles come mostly from the loyalty programme's sign-up form.
            m.loyalty = !employee && self.rng.bernoulli(0.7);
            let mut platforms: Vec<Platform> = [0.85, 0.35, 0.09, 0.07]
                .into_iter()
                .zip(Platform::ALL)
                .filter(|(p, _)| self.rng.bernoulli(*p))
                .map(|(_, platform)| platform)
                .collect();
            if platforms.is_empty() {
                platforms.push(Platform::Instagram);
            }
            let first = m.person.first_name.clone().unwrap_or_default();
            let last = m.person.last_name.clone().unwrap_or_default();
            let word = self.rng.pick(TOPICS[m.interests[0]].handle_words);
            let mut primary: Option<String> = None;
            for (n, platform) in platforms.into_iter().enumerate() {
                let handle = self.new_handle(platform, &first, &last, word, primary.as_deref())?;
                primary.get_or_insert_with(|| handle.as_str().to_owned());
                match platform {
                    Platform::Instagram => m.person.handles.instagram = Some(handle.clone()),
                    Platform::Tiktok => m.person.handles.tiktok = Some(handle.clone()),
                    Platform::Youtube => m.person.handles.youtube = Some(handle.clone()),
                    Platform::X => m.person.handles.x = Some(handle.clone()),
                }
                let fake = self.maybe_fake(platform, [0.018, 0.015, 0.0]);
                let mentions_brand =
                    m.attitude != Attitude::Indifferent && (n == 0 || self.rng.bernoulli(0.3));
                accounts.push(Account {
                    member: Some(i),
                    platform,
                    handle,
                    fake,
                    mentions_brand,
                });
            }
        }
        Ok(accounts)
    }

    /// Bought followers and pods live where likes are the currency: Instagram and TikTok.
    fn maybe_fake(&mut self, platform: Platform, p: [f64; 3]) -> Option<FakeKind> {
        if !matches!(platform, Platform::Instagram | Platform::Tiktok) {
            return None;
        }
        let r = self.rng.f64();
        if r < p[0] {
            Some(FakeKind::BoughtFollowers)
        } else if r < p[0] + p[1] {
            Some(FakeKind::EngagementPod)
        } else {
            None
        }
    }

    /// Profiles that tag the brand but match no person: one for every 19 matched, so
    /// they are 5 % of all. About a fifth are bots.
    pub fn strangers(&mut self, matched: usize) -> Result<Vec<(Account, Stranger)>, DemoError> {
        let count = (matched + 10) / 19;
        let topic_weights: Vec<f64> = TOPICS.iter().map(|t| t.weight).collect();
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            let bot = self.rng.bernoulli(0.22);
            let platform = if bot {
                [Platform::Instagram, Platform::Tiktok, Platform::X]
                    [self.rng.weighted(&[0.7, 0.2, 0.1])]
            } else {
                Platform::ALL[self.rng.weighted(&[0.65, 0.25, 0.05, 0.05])]
            };
            let stranger = Stranger {
                first: self.rng.pick(FIRST_NAMES),
                last: self.rng.pick(LAST_NAMES),
                interests: vec![self.rng.weighted(&topic_weights)],
                attitude: [
                    Attitude::Lover,
                    Attitude::Indifferent,
                    Attitude::Detractor,
                    Attitude::Mixed,
                ][self.rng.weighted(&[0.70, 0.12, 0.10, 0.08])],
                clout: self.rng.f64(),
            };
            let (handle, fake) = if bot {
                (self.bot_handle(platform)?, Some(FakeKind::Bot))
            } else {
                let word = self.rng.pick(TOPICS[stranger.interests[0]].handle_words);
                let h = self.new_handle(platform, stranger.first, stranger.last, word, None)?;
                (h, self.maybe_fake(platform, [0.05, 0.05, 0.0]))
            };
            let account = Account {
                member: None,
                platform,
                handle,
                fake,
                mentions_brand: true,
            };
            out.push((account, stranger));
        }
        Ok(out)
    }

    pub(super) fn user_id(&mut self, platform: Platform) -> String {
        let seq = self.user_seq[slot(platform)];
        self.user_seq[slot(platform)] += 1;
        match platform {
            Platform::Instagram => {
                (1_000_000_000 + seq * 7_919 + self.rng.below(7_919)).to_string()
            }
            Platform::Tiktok => {
                (6_800_000_000_000_000_000u64 + seq * 1_000_003 + self.rng.below(1_000_003))
                    .to_string()
            }
            Platform::Youtube => {
                let a = base64_id(scramble(self.salt ^ seq));
                let b = base64_id(scramble(!self.salt ^ seq));
                format!("UC{a}{}", &b[..11])
            }
            Platform::X => {
                (1_200_000_000_000_000_000u64 + seq * 1_000_003 + self.rng.below(1_000_003))
                    .to_string()
            }
        }
    }

    pub(super) fn post_id(&mut self, platform: Platform) -> String {
        let seq = self.post_seq[slot(platform)];
        self.post_seq[slot(platform)] += 1;
        match platform {
            Platform::Instagram | Platform::Youtube => {
                base64_id(scramble(self.salt.rotate_left(17) ^ seq))
            }
            Platform::Tiktok => {
                (7_300_000_000_000_000_000u64 + seq * 1_000_003 + self.rng.below(1_000_003))
                    .to_string()
            }
            Platform::X => {
                (1_850_000_000_000_000_000u64 + seq * 1_000_003 + self.rng.below(1_000_003))
                    .to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_ids_are_eleven_url_safe_characters() {
        let id = base64_id(u64::MAX);
        assert_eq!(id.len(), 11);
        assert!(id.bytes().all(|b| BASE64URL.contains(&b)));
        assert_ne!(base64_id(1), base64_id(2));
    }

    #[test]
    fn x_handles_fit_fifteen_characters_without_dots() {
        assert_eq!(fit(Platform::X, "maya.lopez.outside", 0), "maya_lopez_outs");
        assert_eq!(fit(Platform::Instagram, "maya.lopez", 0), "maya.lopez");
    }

    #[test]
    fn handles_are_unique_per_platform_even_for_namesakes() {
        let mut social = Social::new(1);
        let mut seen = HashSet::new();
        for _ in 0..300 {
            let h = social
                .new_handle(Platform::X, "Maya", "Lopez", "eats", None)
                .unwrap();
            assert!(h.as_str().len() <= 15 && !h.as_str().contains('.'), "{h}");
            assert!(seen.insert(h));
        }
    }
}
