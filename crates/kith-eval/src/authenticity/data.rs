//! The two labelled data sets, read into canonical [`Profile`]s.
//!
//! Both give counts and lengths, not text, so the text fields are synthesised to match:
//! a handle of the given length with the given number of digits, a bio of the given
//! length, a display name of the given number of words. Only what kith's features read
//! has to be right — counts, lengths, digit shares, emptiness — and every synthetic
//! string is a filler that no real account uses, so no username ever leaves the files.
//!
//! - InstaFake `fake-v1.0` (Akyon & Kalfaoglu 2019; CC BY-NC 4.0): `fakeAccountData.json`
//!   and `realAccountData.json`.
//! - The Instagram fake/spammer/genuine set (Kaggle; licence unverified): `train.csv`.

use std::fmt;
use std::path::{Path, PathBuf};

use kith_core::{Handle, Platform, Profile};
use serde::Deserialize;

use crate::EvalError;

/// Which data set a labelled profile came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataSet {
    InstaFake,
    Spammer,
}

impl DataSet {
    pub const ALL: [DataSet; 2] = [DataSet::InstaFake, DataSet::Spammer];

    pub fn title(self) -> &'static str {
        match self {
            DataSet::InstaFake => "InstaFake fake-v1.0",
            DataSet::Spammer => "Instagram fake/spammer set",
        }
    }
}

impl fmt::Display for DataSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// A profile with its label.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub profile: Profile,
    pub fake: bool,
    pub set: DataSet,
}

/// Where each set's files are, under the shared `data/` folder.
pub fn instafake_paths(data: &Path) -> [PathBuf; 2] {
    let dir = data.join("instafake");
    [
        dir.join("fakeAccountData.json"),
        dir.join("realAccountData.json"),
    ]
}

pub fn spammer_path(data: &Path) -> PathBuf {
    data.join("instagram-fake-spammer").join("train.csv")
}

/// Both sets, InstaFake first.
pub fn load_all(data: &Path) -> Result<Vec<Labelled>, EvalError> {
    let mut all = instafake(data)?;
    all.extend(spammer(data)?);
    Ok(all)
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.to_owned(),
        source,
    })
}

fn parse_error(path: &Path, line: u64, message: impl Into<String>) -> EvalError {
    EvalError::Parse {
        path: path.to_owned(),
        line,
        message: message.into(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InstaFakeRow {
    user_follower_count: u64,
    user_following_count: u64,
    user_biography_length: usize,
    user_media_count: u64,
    user_has_profil_pic: u8,
    user_is_private: u8,
    username_digit_count: usize,
    username_length: usize,
    is_fake: u8,
}

pub fn instafake(data: &Path) -> Result<Vec<Labelled>, EvalError> {
    let mut out = Vec::new();
    for path in instafake_paths(data) {
        let text = read(&path)?;
        let rows: Vec<InstaFakeRow> = serde_json::from_str(&text)
            .map_err(|e| parse_error(&path, e.line() as u64, e.to_string()))?;
        for row in rows {
            let handle = synthetic_handle(row.username_length, row.username_digit_count)
                .map_err(|m| parse_error(&path, 0, m))?;
            out.push(Labelled {
                profile: Profile {
                    bio: synthetic_bio(row.user_biography_length),
                    followers: Some(row.user_follower_count),
                    following: Some(row.user_following_count),
                    posts_count: Some(row.user_media_count),
                    has_profile_pic: Some(row.user_has_profil_pic == 1),
                    is_private: Some(row.user_is_private == 1),
                    ..blank_profile(handle)
                },
                fake: row.is_fake == 1,
                set: DataSet::InstaFake,
            });
        }
    }
    Ok(out)
}

/// InstaFake's non-automated accounts: real people's profiles *with their posts* (likes,
/// comments and upload times), all labelled genuine — the set's automated half is not in
/// the snapshot (see its SOURCE.md), so these measure false alarms only.
pub fn nonautomated_path(data: &Path) -> PathBuf {
    data.join("instafake").join("nonautomatedAccountData.json")
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NonAutomatedRow {
    user_media_count: u64,
    media_like_numbers: Vec<u64>,
    media_comment_numbers: Vec<u64>,
    media_upload_times: Vec<i64>,
    user_follower_count: u64,
    user_following_count: u64,
    user_has_external_url: u8,
    user_biography_length: usize,
    username_length: usize,
    username_digit_count: usize,
}

/// A genuine account and its posts, as fetched: `fetched_at` a day after its latest post
/// (the set was collected within days of its newest uploads).
#[derive(Debug)]
pub struct WithPosts {
    pub profile: Profile,
    pub posts: Vec<kith_core::Post>,
}

pub fn nonautomated(data: &Path) -> Result<Vec<WithPosts>, EvalError> {
    let path = nonautomated_path(data);
    let text = read(&path)?;
    let rows: Vec<NonAutomatedRow> = serde_json::from_str(&text)
        .map_err(|e| parse_error(&path, e.line() as u64, e.to_string()))?;
    let mut out = Vec::with_capacity(rows.len());
    for (n, row) in rows.into_iter().enumerate() {
        let handle = synthetic_handle(row.username_length, row.username_digit_count)
            .map_err(|m| parse_error(&path, 0, m))?;
        let at = |secs: i64| {
            time::OffsetDateTime::from_unix_timestamp(secs)
                .map_err(|e| parse_error(&path, 0, format!("account {n}: upload time {secs}: {e}")))
        };
        let mut posts = Vec::new();
        for (i, ((likes, comments), uploaded)) in row
            .media_like_numbers
            .iter()
            .zip(&row.media_comment_numbers)
            .zip(&row.media_upload_times)
            .enumerate()
        {
            posts.push(kith_core::Post {
                platform: Platform::Instagram,
                handle: handle.clone(),
                post_id: format!("{n}-{i}"),
                posted_at: Some(at(*uploaded)?),
                kind: None,
                caption: None,
                likes: Some(*likes),
                comments: Some(*comments),
                shares: None,
                saves: None,
                views: None,
                is_sponsored: None,
                comments_sample: Vec::new(),
            });
        }
        let latest = row.media_upload_times.iter().max().copied();
        out.push(WithPosts {
            profile: Profile {
                bio: synthetic_bio(row.user_biography_length),
                followers: Some(row.user_follower_count),
                following: Some(row.user_following_count),
                posts_count: Some(row.user_media_count),
                is_private: Some(false),
                external_url: (row.user_has_external_url == 1)
                    .then(|| "https://example.com".to_owned()),
                fetched_at: latest.map(|t| at(t + 86_400)).transpose()?,
                ..blank_profile(handle)
            },
            posts,
        });
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
struct SpammerRow {
    #[serde(rename = "profile pic")]
    profile_pic: u8,
    #[serde(rename = "nums/length username")]
    handle_digit_share: f64,
    #[serde(rename = "fullname words")]
    name_words: usize,
    #[serde(rename = "nums/length fullname")]
    name_digit_share: f64,
    #[serde(rename = "name==username")]
    name_is_handle: u8,
    #[serde(rename = "description length")]
    bio_length: usize,
    #[serde(rename = "external URL")]
    external_url: u8,
    private: u8,
    #[serde(rename = "#posts")]
    posts: u64,
    #[serde(rename = "#followers")]
    followers: u64,
    #[serde(rename = "#follows")]
    follows: u64,
    fake: u8,
}

pub fn spammer(data: &Path) -> Result<Vec<Labelled>, EvalError> {
    let path = spammer_path(data);
    let text = read(&path)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, row) in reader.deserialize::<SpammerRow>().enumerate() {
        // Line 1 is the header.
        let line = i as u64 + 2;
        let row = row.map_err(|e| parse_error(&path, line, e.to_string()))?;
        let (len, digits) = handle_shape(row.handle_digit_share);
        let handle = synthetic_handle(len, digits).map_err(|m| parse_error(&path, line, m))?;
        let display_name = if row.name_is_handle == 1 {
            Some(handle.as_str().to_owned())
        } else {
            synthetic_name(row.name_words, row.name_digit_share)
        };
        out.push(Labelled {
            profile: Profile {
                display_name,
                bio: synthetic_bio(row.bio_length),
                followers: Some(row.followers),
                following: Some(row.follows),
                posts_count: Some(row.posts),
                has_profile_pic: Some(row.profile_pic == 1),
                is_private: Some(row.private == 1),
                external_url: (row.external_url == 1).then(|| "https://example.com".to_owned()),
                ..blank_profile(handle)
            },
            fake: row.fake == 1,
            set: DataSet::Spammer,
        });
    }
    Ok(out)
}

/// Where the influencer list of Kim et al. is, under the shared `data/` folder.
pub fn influencers_path(data: &Path) -> PathBuf {
    data.join("kim-influencers").join("influencers.tsv")
}

/// The 33,935 Instagram influencers of Kim et al. (WWW 2020; research use only):
/// handle, followers, followings and posts. Unlabelled, and presumed genuine: the
/// authors collected accounts that brands work with. Bio, picture and display name are
/// not in the file, so they stay unknown — which is no evidence either way.
pub fn influencers(data: &Path) -> Result<Vec<Profile>, EvalError> {
    let path = influencers_path(data);
    let text = read(&path)?;
    let mut out = Vec::new();
    // Line 1 is the header; blank lines (line 2 is one) carry nothing.
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let line_no = i as u64 + 1;
        let cells: Vec<&str> = line.split('\t').collect();
        let [handle, _category, followers, following, posts] = cells[..] else {
            return Err(parse_error(
                &path,
                line_no,
                "expected 5 tab-separated columns",
            ));
        };
        let count = |cell: &str, what: &str| {
            cell.trim()
                .parse::<u64>()
                .map_err(|e| parse_error(&path, line_no, format!("{what}: {e}")))
        };
        // The message leaves the username out: it is a real account's.
        let handle = Handle::parse(handle)
            .map_err(|_| parse_error(&path, line_no, "the username is not a valid handle"))?;
        out.push(Profile {
            followers: Some(count(followers, "#Followers")?),
            following: Some(count(following, "#Followees")?),
            posts_count: Some(count(posts, "#Posts")?),
            ..blank_profile(handle)
        });
    }
    Ok(out)
}

/// An Instagram profile with only its handle known; callers fill in the rest.
fn blank_profile(handle: Handle) -> Profile {
    Profile {
        platform: Platform::Instagram,
        handle,
        user_id: None,
        display_name: None,
        bio: None,
        followers: None,
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

/// The median Instagram handle length in InstaFake (real and fake alike) is 11.
const TYPICAL_HANDLE_LENGTH: usize = 11;

/// The spammer set gives only the handle's digit share, rounded to two decimals. The
/// handle length nearest the typical 11 (searching 5–30) at which some whole number of
/// digits rounds to that share is taken, so the digit count is one a real handle of
/// ordinary length could have.
pub fn handle_shape(share: f64) -> (usize, usize) {
    let share = share.clamp(0.0, 1.0);
    let mut lengths: Vec<usize> = (5..=30).collect();
    lengths.sort_by_key(|l| (l.abs_diff(TYPICAL_HANDLE_LENGTH), *l));
    for len in lengths {
        let digits = (share * len as f64).round() as usize;
        if ((digits as f64 / len as f64) - share).abs() < 0.005 + 1e-9 {
            return (len, digits);
        }
    }
    let digits = (share * TYPICAL_HANDLE_LENGTH as f64).round() as usize;
    (TYPICAL_HANDLE_LENGTH, digits)
}

/// A handle of `len` characters whose last `digits` are digits: letters from a fixed
/// filler, then a trailing block of digits. Digits at the end are how most handles that
/// have digits carry them (`name` + year or number); kith's features read only the
/// count and share of digits, so where they sit does not change a score.
pub fn synthetic_handle(len: usize, digits: usize) -> Result<Handle, String> {
    let len = len.max(1);
    let digits = digits.min(len);
    let letters = (0..len - digits).map(|i| char::from(b'a' + (i % 26) as u8));
    let numbers = (0..digits).map(|i| char::from(b'1' + (i % 9) as u8));
    let text: String = letters.chain(numbers).collect();
    Handle::parse(&text).map_err(|e| format!("cannot make a handle of {len} characters: {e}"))
}

/// A bio of `len` characters; empty (known to be empty, not unknown) when 0.
pub fn synthetic_bio(len: usize) -> Option<String> {
    const FILLER: &str = "lorem ipsum dolor sit amet consectetur adipiscing elit ";
    Some(FILLER.chars().cycle().take(len).collect())
}

/// A display name of `words` five-letter words (none when 0), whose last characters are
/// digits in the given share of its letters and digits.
pub fn synthetic_name(words: usize, digit_share: f64) -> Option<String> {
    if words == 0 {
        return None;
    }
    let chars = 5 * words;
    let mut digits = (digit_share.clamp(0.0, 1.0) * chars as f64).round() as usize;
    if digit_share > 0.0 {
        digits = digits.max(1);
    }
    let mut letters: Vec<char> = (0..chars).map(|_| 'n').collect();
    for c in letters.iter_mut().rev().take(digits) {
        *c = '4';
    }
    let words: Vec<String> = letters.chunks(5).map(|w| w.iter().collect()).collect();
    Some(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_handle_has_the_given_length_and_trailing_digits() {
        let h = synthetic_handle(12, 4).unwrap();
        assert_eq!(h.as_str(), "abcdefgh1234");
        assert_eq!(synthetic_handle(3, 9).unwrap().as_str(), "123");
    }

    #[test]
    fn a_digit_share_becomes_an_ordinary_length_with_that_share() {
        assert_eq!(handle_shape(0.0), (11, 0));
        assert_eq!(handle_shape(0.27), (11, 3));
        let (len, digits) = handle_shape(0.92);
        assert!(
            ((digits as f64 / len as f64) - 0.92).abs() < 0.005,
            "{len} {digits}"
        );
    }

    #[test]
    fn a_synthetic_name_has_the_given_words_and_digit_share() {
        assert_eq!(synthetic_name(0, 0.5), None);
        assert_eq!(synthetic_name(2, 0.0).unwrap(), "nnnnn nnnnn");
        assert_eq!(synthetic_name(2, 0.2).unwrap(), "nnnnn nnn44");
    }

    #[test]
    fn a_synthetic_bio_has_the_given_length() {
        assert_eq!(synthetic_bio(0).unwrap(), "");
        assert_eq!(synthetic_bio(150).unwrap().chars().count(), 150);
    }
}
