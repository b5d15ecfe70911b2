//! Tests of the generated files as a whole: determinism, validity of every record, and
//! the shapes the demo promises (handle share, tiers, engagement, fakes, commerce).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use kith_core::{
    Band, BrandConfig, Order, Person, PersonSource, Platform, Post, Profile, Review, TierBands,
};
use serde::de::DeserializeOwned;

use super::*;

fn small(seed: u64) -> DemoOptions {
    DemoOptions {
        seed,
        customers: 3_000,
        employees: 60,
    }
}

fn generate(opts: &DemoOptions) -> (tempfile::TempDir, DemoFiles) {
    let dir = tempfile::tempdir().unwrap();
    let files = write_demo(dir.path(), opts).unwrap();
    (dir, files)
}

fn read<T: DeserializeOwned>(path: &Path) -> Vec<T> {
    let text = fs::read_to_string(path).unwrap();
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}\n{line}", path.display(), i + 1))
        })
        .collect()
}

fn all_files(files: &DemoFiles) -> [&Path; 7] {
    [
        &files.brand,
        &files.customers,
        &files.employees,
        &files.profiles,
        &files.posts,
        &files.reviews,
        &files.orders,
    ]
    .map(PathBuf::as_path)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// The contract's engagement rate: median over the latest 12 posts within 180 days.
fn profile_rate(profile: &Profile, posts: &[&Post], per: impl Fn(&Post) -> u64) -> Option<f64> {
    let start = FETCHED_AT - time::Duration::days(180);
    let mut recent: Vec<&&Post> = posts
        .iter()
        .filter(|p| p.posted_at.is_some_and(|t| t >= start))
        .collect();
    recent.sort_by_key(|p| std::cmp::Reverse(p.posted_at));
    let followers = profile.followers? as f64;
    let rates: Vec<f64> = recent
        .iter()
        .take(12)
        .map(|p| per(p) as f64 / followers)
        .collect();
    (!rates.is_empty()).then(|| median(rates))
}

#[test]
fn the_same_seed_writes_byte_identical_files() {
    let (_a, first) = generate(&small(7));
    let (_b, second) = generate(&small(7));
    for (x, y) in all_files(&first).into_iter().zip(all_files(&second)) {
        assert_eq!(
            fs::read(x).unwrap(),
            fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
    assert_eq!(first.counts, second.counts);
}

#[test]
fn a_different_seed_writes_different_people_and_posts() {
    let (_a, first) = generate(&small(7));
    let (_b, second) = generate(&small(8));
    for (x, y) in [
        (&first.customers, &second.customers),
        (&first.posts, &second.posts),
    ] {
        assert_ne!(fs::read(x).unwrap(), fs::read(y).unwrap());
    }
}

#[test]
fn every_line_is_a_valid_canonical_record() {
    let (_dir, files) = generate(&small(1));
    let brand = BrandConfig::from_toml(&fs::read_to_string(&files.brand).unwrap()).unwrap();
    assert_eq!(brand.name, "Ridgeline Coffee Co.");
    for p in read::<Person>(&files.customers) {
        let p = p.validated(PersonSource::Customer).unwrap();
        assert_eq!(p.source(), PersonSource::Customer);
        assert!(p.id.starts_with('C') && p.email.is_some());
    }
    for p in read::<Person>(&files.employees) {
        let p = p.validated(PersonSource::Customer).unwrap();
        assert_eq!(p.source(), PersonSource::Employee);
        assert!(p.id.starts_with('E') && p.title.is_some() && p.department.is_some());
    }
    assert_eq!(
        read::<Profile>(&files.profiles).len() as u32,
        files.counts.profiles
    );
    for p in read::<Post>(&files.posts) {
        let p = p.validated().unwrap();
        assert!(p.posted_at.is_some_and(|t| t < FETCHED_AT));
    }
    for r in read::<Review>(&files.reviews) {
        r.validated().unwrap();
    }
    for o in read::<Order>(&files.orders) {
        let o = o.validated().unwrap();
        assert_eq!(o.currency.as_deref(), Some("USD"));
    }
}

#[test]
fn a_quarter_of_people_have_handles_and_each_handle_has_a_profile() {
    let (_dir, files) = generate(&small(2));
    let people: Vec<Person> = [&files.customers, &files.employees]
        .into_iter()
        .flat_map(|p| read::<Person>(p))
        .collect();
    let with = people
        .iter()
        .filter(|p| p.handles.iter().next().is_some())
        .count();
    let share = with as f64 / people.len() as f64;
    assert!((0.20..=0.30).contains(&share), "{share}");
    assert_eq!(with as u32, files.counts.people_with_handles);

    let profiles: Vec<Profile> = read(&files.profiles);
    let keys: HashSet<(Platform, String)> = profiles
        .iter()
        .map(|p| (p.platform, p.handle.as_str().to_owned()))
        .collect();
    assert_eq!(
        keys.len(),
        profiles.len(),
        "a handle is used twice on one platform"
    );
    let declared: Vec<(Platform, String)> = people
        .iter()
        .flat_map(|p| p.handles.iter().map(|(pl, h)| (pl, h.as_str().to_owned())))
        .collect();
    assert!(declared.iter().all(|k| keys.contains(k)));
    let unmatched = profiles.len() - declared.len();
    assert_eq!(unmatched as u32, files.counts.unmatched_profiles);
    let share = unmatched as f64 / profiles.len() as f64;
    assert!((0.04..=0.06).contains(&share), "{share}");
}

#[test]
fn post_ids_are_unique_per_platform_and_handles_match_a_profile() {
    let (_dir, files) = generate(&small(3));
    let profiles: HashSet<(Platform, String)> = read::<Profile>(&files.profiles)
        .into_iter()
        .map(|p| (p.platform, p.handle.as_str().to_owned()))
        .collect();
    let mut ids = HashSet::new();
    for p in read::<Post>(&files.posts) {
        assert!(
            ids.insert((p.platform, p.post_id.clone())),
            "duplicate {}",
            p.post_id
        );
        assert!(profiles.contains(&(p.platform, p.handle.as_str().to_owned())));
        assert!(p.comments_sample.len() as u64 <= p.comments.unwrap_or(0));
    }
}

#[test]
fn people_totals_match_their_orders_exactly() {
    let (_dir, files) = generate(&small(4));
    let mut by_person: HashMap<String, (u32, i64)> = HashMap::new();
    for o in read::<Order>(&files.orders) {
        let e = by_person.entry(o.person_id.clone().unwrap()).or_default();
        e.0 += 1;
        if o.financial_status.as_deref() != Some("refunded") {
            e.1 += o.total_price.unwrap().minor();
        }
        let total = o.total_price.unwrap().minor();
        assert!(
            total >= o.subtotal_price.minor(),
            "shipping and tax are never negative"
        );
        assert!(o.total_discounts.unwrap().minor() >= 0);
    }
    let customers: Vec<Person> = read(&files.customers);
    for p in &customers {
        let (n, spent) = by_person.get(&p.id).copied().unwrap_or_default();
        assert_eq!(p.orders_count, Some(n), "{}", p.id);
        assert_eq!(p.total_spent.map(|m| m.minor()), Some(spent), "{}", p.id);
    }
    let once = customers
        .iter()
        .filter(|p| p.orders_count == Some(1))
        .count();
    assert!(
        once * 2 > customers.len(),
        "most customers bought once: {once}"
    );
    let orders: u32 = customers.iter().filter_map(|p| p.orders_count).sum();
    assert!(orders <= customers.len() as u32 * 3, "{orders}");
}

#[test]
fn brand_lovers_post_about_the_brand_and_spend_more() {
    let (_dir, files) = generate(&DemoOptions {
        seed: 5,
        customers: 6_000,
        employees: 0,
    });
    let share = f64::from(files.counts.people_posting_about_brand)
        / f64::from(files.counts.people_with_handles);
    assert!((0.06..=0.11).contains(&share), "{share}");

    let brand = BrandConfig::from_toml(BRAND_TOML).unwrap();
    let terms: Vec<String> = brand.terms().iter().map(|t| t.to_lowercase()).collect();
    let mentions = |caption: &str| {
        let lower = caption.to_lowercase();
        terms.iter().any(|t| lower.contains(t.as_str()))
    };
    let mut posters: HashSet<String> = HashSet::new();
    let mut brand_posts = 0;
    for p in read::<Post>(&files.posts) {
        if p.caption.as_deref().is_some_and(mentions) {
            brand_posts += 1;
            posters.insert(p.handle.as_str().to_owned());
        }
    }
    assert_eq!(brand_posts, files.counts.brand_posts);
    let people: Vec<Person> = read(&files.customers);
    let spend = |p: &Person| p.total_spent.map(|m| m.minor() as f64).unwrap_or(0.0);
    let (fans, others): (Vec<&Person>, Vec<&Person>) = people
        .iter()
        .filter(|p| p.handles.iter().next().is_some())
        .partition(|p| p.handles.iter().any(|(_, h)| posters.contains(h.as_str())));
    let fan_spend = median(fans.iter().map(|p| spend(p)).collect());
    let other_spend = median(others.iter().map(|p| spend(p)).collect());
    assert!(fan_spend > other_spend, "{fan_spend} vs {other_spend}");
}

#[test]
fn about_six_percent_of_customers_review_and_ratings_lean_positive() {
    let (_dir, files) = generate(&DemoOptions {
        seed: 6,
        customers: 6_000,
        employees: 0,
    });
    let reviews: Vec<Review> = read(&files.reviews);
    let reviewers: HashSet<&str> = reviews
        .iter()
        .filter_map(|r| r.person_id.as_deref())
        .collect();
    let share = reviewers.len() as f64 / 6_000.0;
    assert!((0.045..=0.08).contains(&share), "{share}");
    let fives = reviews.iter().filter(|r| r.rating == 5).count();
    let ones = reviews.iter().filter(|r| r.rating == 1).count();
    assert!(
        fives > reviews.len() / 3 && ones < fives / 3,
        "{fives} {ones}"
    );
    let products = BrandConfig::from_toml(BRAND_TOML).unwrap().keywords;
    assert!(
        reviews
            .iter()
            .all(|r| r.product.as_ref().is_some_and(|p| products.contains(p)))
    );
}

#[test]
fn planted_fakes_have_the_shapes_of_their_kind() {
    let (_dir, files) = generate(&DemoOptions {
        seed: 9,
        customers: 8_000,
        employees: 0,
    });
    let c = files.counts;
    let share = f64::from(c.bought_followers + c.engagement_pods + c.bots) / f64::from(c.profiles);
    assert!((0.025..=0.06).contains(&share), "{share}");
    let profiles: HashMap<(Platform, String), Profile> = read::<Profile>(&files.profiles)
        .into_iter()
        .map(|p| ((p.platform, p.handle.as_str().to_owned()), p))
        .collect();
    for fake in &files.planted_fakes {
        let p = &profiles[&(fake.platform, fake.handle.as_str().to_owned())];
        match fake.kind {
            FakeKind::Bot => {
                let digits = p
                    .handle
                    .as_str()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .count();
                assert!(digits >= 5, "{}", p.handle);
                assert!(p.following.unwrap() >= 1_500);
            }
            FakeKind::BoughtFollowers => {
                assert!(p.following.unwrap() >= 1_500);
                let h = &p.follower_history;
                assert!(
                    h.windows(2).any(|w| w[1].followers > w[0].followers * 5),
                    "{}",
                    p.handle
                );
            }
            FakeKind::EngagementPod => {
                let band = TierBands::default().band(p.followers.unwrap());
                assert!(matches!(band, Band::MicroLow | Band::MicroHigh));
            }
        }
    }
}

#[test]
fn writing_into_a_file_path_names_that_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    fs::write(&blocker, "x").unwrap();
    let err = write_demo(&blocker, &small(1)).unwrap_err();
    assert!(err.to_string().contains("not-a-dir"), "{err}");
}

/// One run at the default size: the tier mix, the calibration against published
/// engagement figures, and the volume limits.
#[test]
fn default_size_has_hundreds_of_micro_profiles_calibrated_to_published_rates() {
    let started = std::time::Instant::now();
    let (_dir, files) = generate(&DemoOptions::default());
    let elapsed = started.elapsed();
    let c = files.counts;
    eprintln!("default demo in {elapsed:?}: {c:#?}");
    assert_eq!((c.customers, c.employees), (20_000, 300));
    assert!(
        c.profiles_by_band.micro() >= 300,
        "{:?}",
        c.profiles_by_band
    );
    assert!(
        c.profiles_by_band.micro_high >= 100,
        "{:?}",
        c.profiles_by_band
    );
    let nano = f64::from(c.profiles_by_band.nano) / f64::from(c.profiles);
    assert!((0.58..=0.72).contains(&nano), "{nano}");
    assert!(c.profiles_by_band.mega < c.profiles_by_band.r#macro);
    assert!(c.orders <= 60_000, "{}", c.orders);

    let fakes: HashSet<(Platform, String)> = files
        .planted_fakes
        .iter()
        .map(|f| (f.platform, f.handle.as_str().to_owned()))
        .collect();
    let posts: Vec<Post> = read(&files.posts);
    let mut by_profile: HashMap<(Platform, String), Vec<&Post>> = HashMap::new();
    for p in &posts {
        by_profile
            .entry((p.platform, p.handle.as_str().to_owned()))
            .or_default()
            .push(p);
    }
    let bands = TierBands::default();
    let mut rates: BTreeMap<(Platform, Band), Vec<f64>> = BTreeMap::new();
    for profile in read::<Profile>(&files.profiles) {
        let key = (profile.platform, profile.handle.as_str().to_owned());
        if fakes.contains(&key) {
            continue;
        }
        let Some(posts) = by_profile.get(&key) else {
            continue;
        };
        let band = bands.band(profile.followers.unwrap_or(0));
        let rate = match profile.platform {
            Platform::Instagram => profile_rate(&profile, posts, |p| p.likes.unwrap_or(0)),
            Platform::Tiktok => profile_rate(&profile, posts, |p| p.interactions()),
            _ => None,
        };
        if let Some(rate) = rate {
            rates
                .entry((profile.platform, band))
                .or_default()
                .push(rate);
        }
    }
    // Markerly 2016 (Instagram like rate) and SociaVault 2026 (TikTok interactions).
    let published = [
        ((Platform::Instagram, Band::Nano), 0.08),
        ((Platform::Instagram, Band::MicroLow), 0.04),
        ((Platform::Instagram, Band::MicroHigh), 0.0237),
        ((Platform::Instagram, Band::Macro), 0.017),
        ((Platform::Tiktok, Band::MicroLow), 0.0784),
        ((Platform::Tiktok, Band::MicroHigh), 0.0521),
    ];
    for (key, expected) in published {
        let got = rates.remove(&key).map(median).unwrap_or(f64::NAN);
        let ratio = got / expected;
        eprintln!("{key:?}: median {got:.4} vs published {expected} ({ratio:.2}×)");
        assert!(
            (0.75..=1.35).contains(&ratio),
            "{key:?}: {got} vs {expected}"
        );
    }
}
