//! The scoring core's hot paths, per post and per profile, on posts shaped like
//! `bench/gen_social.py`'s (the end-to-end benchmark's): category hashtags in every
//! caption, the brand in about one in thirty, three sampled comments.
//!
//! `cargo bench -p kith-core --bench scoring`; figures in docs/PERFORMANCE.md.

use criterion::{BatchSize, Criterion, Throughput, black_box, criterion_group, criterion_main};
use kith_core::category::CategoryCounts;
use kith_core::post_facts::{PostFacts, PostView};
use kith_core::{BrandConfig, BrandMatcher, Profile, measure_profile};
use time::OffsetDateTime;
use time::macros::datetime;

const BRAND: &str = r##"name = "Ridgeline Coffee Co."
currency = "USD"
hashtags = ["#ridgelinecoffee", "#brewedoutside"]
keywords = ["Ridgeline Coffee", "Summit Blend", "Trailhead Cold Brew"]
competitors = ["Peakside Roasters", "Canyon Bean Co."]
target_categories = ["food & drink", "outdoors", "wellness", "travel"]

[handles]
instagram = "@ridgelinecoffee"
"##;

const CAPTIONS: &[&str] = &[
    "Sunday pancakes, extra syrup #plantbasedrecipes #brunchgoals",
    "Three days on the trail and zero regrets #hiking #optoutside",
    "Deadlift PR today #workout #legday",
    "My five minute routine #skincare #glowingskin",
    "The cat has claimed the blanket #catsofinstagram",
    "Packing for Lisbon #wanderlust #travelgram",
    "Sunrise from the saddle #trailrunning #campingvibes",
    "New recipe test: oat latte at home #coffeetime #homebaking",
];
const BRAND_CAPTION: &str =
    "finally tried Ridgeline Coffee and wow, Summit Blend is my new favorite #ridgelinecoffee";
const COMMENTS: &[&str] = &[
    "love this!",
    "where is this?",
    "so good 😍",
    "nice",
    "🔥🔥🔥",
    "great post",
    "recipe please?",
    "miss you!",
    "what lens is that?",
    "follow me back",
];

/// `n` post lines of one profile, deterministic.
fn lines(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let caption = if i % 30 == 7 {
                BRAND_CAPTION
            } else {
                CAPTIONS[i % CAPTIONS.len()]
            };
            let comments: Vec<&str> = (0..3)
                .map(|k| COMMENTS[(i * 3 + k) % COMMENTS.len()])
                .collect();
            serde_json::json!({
                "platform": "instagram",
                "handle": "creator0000042",
                "post_id": format!("creator0000042-{i}"),
                "posted_at": format!("2026-10-{:02}T08:07:10Z", 1 + i % 28),
                "kind": "carousel",
                "caption": caption,
                "likes": 200 + (i * 37) % 150,
                "comments": 4 + i % 9,
                "shares": null,
                "saves": null,
                "views": null,
                "is_sponsored": false,
                "comments_sample": comments,
            })
            .to_string()
        })
        .collect()
}

fn profile() -> Profile {
    serde_json::from_value(serde_json::json!({
        "platform": "instagram",
        "handle": "creator0000042",
        "followers": 8_400,
        "following": 610,
        "posts_count": 320,
        "bio": "outdoors lover | #hiking",
        "fetched_at": "2026-11-01T12:00:00Z",
    }))
    .unwrap_or_else(|e| panic!("the bench profile is valid: {e}"))
}

/// A way to read a post line as a view.
type ReadLine = fn(&str) -> Option<PostView<'_>>;

fn facts_of(lines: &[String], matcher: &BrandMatcher) -> Vec<PostFacts> {
    lines
        .iter()
        .map(|l| {
            let mut view = PostView::read(l).unwrap_or_else(|| panic!("a bench line: {l}"));
            view.validate().unwrap_or_else(|e| panic!("{e:?}"));
            PostFacts::new(&view, matcher)
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let brand = BrandConfig::from_toml(BRAND).unwrap_or_else(|e| panic!("{e}"));
    let matcher = BrandMatcher::new(&brand);
    let posts = lines(300);
    let now: OffsetDateTime = datetime!(2026-11-02 0:00 UTC);

    let mut g = c.benchmark_group("post");
    g.throughput(Throughput::Elements(posts.len() as u64));
    // The scan as scoring uses it, against serde, which read every line before it;
    // plain lines, and captions with line breaks before their hashtags (escaped).
    let broken: Vec<String> = posts.iter().map(|l| l.replace(" #", "\\n#")).collect();
    let readers: [(&str, ReadLine); 2] = [
        ("", |l| PostView::read(l)),
        (" with serde", |l| serde_json::from_str(l).ok()),
    ];
    for (lines, kind) in [(&posts, "a line"), (&broken, "a line with escapes")] {
        for (by, read) in readers {
            g.bench_function(format!("read {kind} as a view{by}"), |b| {
                b.iter(|| {
                    for l in lines {
                        let mut view = read(black_box(l)).unwrap_or_else(|| panic!("{l}"));
                        black_box(view.validate().is_ok());
                    }
                })
            });
        }
    }
    g.bench_function("line to facts", |b| {
        b.iter(|| black_box(facts_of(black_box(&posts), &matcher)))
    });
    g.bench_function("categories of the caption", |b| {
        b.iter(|| {
            let mut counts = CategoryCounts::default();
            for (i, _) in posts.iter().enumerate() {
                counts.add_text(black_box(CAPTIONS[i % CAPTIONS.len()]));
            }
            black_box(counts)
        })
    });
    g.bench_function("brand opinion of the caption", |b| {
        b.iter(|| {
            for i in 0..posts.len() {
                let caption = if i % 30 == 7 {
                    BRAND_CAPTION
                } else {
                    CAPTIONS[i % CAPTIONS.len()]
                };
                black_box(matcher.sentiment(black_box(caption)));
            }
        })
    });
    g.bench_function("generic comments", |b| {
        b.iter(|| {
            for i in 0..posts.len() * 3 {
                black_box(kith_core::authenticity::posts::is_generic_comment(
                    black_box(COMMENTS[i % COMMENTS.len()]),
                ));
            }
        })
    });
    g.finish();

    let profile = profile();
    let facts = facts_of(&posts[..20], &matcher);
    let mut g = c.benchmark_group("profile");
    g.throughput(Throughput::Elements(1));
    g.bench_function("measure 20 posts", |b| {
        b.iter_batched(
            || facts.clone(),
            |facts| black_box(measure_profile(&profile, &facts, &brand, &matcher, now)),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(scoring, benches);
criterion_main!(scoring);
