//! `GET /people/{id}`: one person — their profiles and scores with each explanation, a
//! chart per profile of per-post engagement over time against the band's benchmark,
//! authenticity flags in words, the posts that mention the brand with the words that
//! carry sentiment highlighted, and their reviews and orders.

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use kith_core::authenticity::authenticity;
use kith_core::benchmark::benchmark;
use kith_core::brand_love::BrandMatcher;
use kith_core::engagement::engagement;
use kith_core::sentiment::{Term, analyse};
use kith_core::{BrandConfig, Post, Profile};
use minijinja::context;
use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;

use super::{Me, html};
use crate::AppState;
use crate::api::CandidateJson;
use crate::auth::Principal;
use crate::error::{Failure, PageError};

/// Posts read per profile: a year of a weekly poster, and bounded.
const POSTS: u32 = 60;
/// Reviews and orders shown.
const HISTORY: u32 = 50;

/// A piece of a caption, highlighted when it carries sentiment.
#[derive(Debug, Serialize, PartialEq)]
struct Segment {
    text: String,
    /// `pos`, `neg` or empty.
    class: &'static str,
}

/// Splits `caption` into plain and highlighted pieces at the terms that moved its score.
fn highlight(caption: &str, terms: &[Term]) -> Vec<Segment> {
    let mut marks: Vec<(usize, usize, &'static str)> = Vec::new();
    for term in terms
        .iter()
        .filter(|t| t.valence.abs() >= 0.05 && !t.text.is_empty())
    {
        let class = if term.valence > 0.0 { "pos" } else { "neg" };
        let mut from = 0;
        while let Some(i) = caption[from..].find(term.text.as_str()) {
            let (start, end) = (from + i, from + i + term.text.len());
            if !marks.iter().any(|(s, e, _)| start < *e && *s < end) {
                marks.push((start, end, class));
                break;
            }
            from = end;
        }
    }
    marks.sort();
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end, class) in marks {
        if start > at {
            out.push(Segment {
                text: caption[at..start].to_owned(),
                class: "",
            });
        }
        out.push(Segment {
            text: caption[start..end].to_owned(),
            class,
        });
        at = end;
    }
    if at < caption.len() {
        out.push(Segment {
            text: caption[at..].to_owned(),
            class: "",
        });
    }
    out
}

#[derive(Debug, Serialize)]
struct Flag {
    meaning: &'static str,
    penalty: f64,
}

#[derive(Debug, Serialize)]
struct MentionPost {
    date: String,
    segments: Vec<Segment>,
    score: f64,
}

#[derive(Debug, Serialize)]
struct ProfileView {
    id: String,
    platform: &'static str,
    handle: String,
    display_name: Option<String>,
    bio: Option<String>,
    followers: Option<u64>,
    band: Option<&'static str>,
    benchmark: Option<f64>,
    benchmark_source: Option<&'static str>,
    authenticity: f64,
    flags: Vec<Flag>,
    /// uPlot data: `[[unix seconds…], [ER %…], [benchmark %…]]`.
    chart: String,
    posts_shown: usize,
    mentions: Vec<MentionPost>,
}

fn day(t: Option<OffsetDateTime>) -> String {
    t.and_then(|t| t.format(format_description!("[year]-[month]-[day]")).ok())
        .unwrap_or_default()
}

fn profile_view(
    profile: &Profile,
    mut posts: Vec<Post>,
    brand: &BrandConfig,
    matcher: &BrandMatcher,
) -> Result<ProfileView, Failure> {
    let band = profile.followers.map(|f| brand.tiers.band(f));
    let bench = band.and_then(|b| benchmark(profile.platform, b));
    let e = engagement(profile, &posts, OffsetDateTime::now_utc());
    let auth = authenticity(profile, &posts, &e, bench.map(|b| b.rate));
    posts.sort_by_key(|p| p.posted_at);
    let dated: Vec<&Post> = posts.iter().filter(|p| p.posted_at.is_some()).collect();
    let followers = profile.followers.filter(|f| *f > 0);
    let xs: Vec<i64> = dated
        .iter()
        .filter_map(|p| p.posted_at.map(|t| t.unix_timestamp()))
        .collect();
    let ys: Vec<Option<f64>> = dated
        .iter()
        .map(|p| followers.map(|f| p.interactions() as f64 / f as f64 * 100.0))
        .collect();
    let bs: Vec<Option<f64>> = dated
        .iter()
        .map(|_| bench.map(|b| b.rate * 100.0))
        .collect();
    let chart = serde_json::to_string(&(xs, ys, bs))?.replace("</", "<\\/");
    let mut mentions: Vec<MentionPost> = posts
        .iter()
        .rev()
        .filter_map(|p| {
            let caption = p.caption.as_deref()?;
            if !matcher.mentions(caption) {
                return None;
            }
            // What the post says about the brand, not about everything else it names.
            let analysis = matcher
                .sentiment(caption)
                .unwrap_or_else(|| analyse(caption));
            Some(MentionPost {
                date: day(p.posted_at),
                segments: highlight(caption, &analysis.terms),
                score: analysis.score * 100.0,
            })
        })
        .collect();
    mentions.truncate(20);
    Ok(ProfileView {
        id: format!(
            "{}-{}",
            profile.platform,
            profile.handle.as_str().replace('.', "-")
        ),
        platform: profile.platform.as_str(),
        handle: profile.handle.as_str().to_owned(),
        display_name: profile.display_name.clone(),
        bio: profile.bio.clone(),
        followers: profile.followers,
        band: band.map(|b| b.label()),
        benchmark: bench.map(|b| b.rate * 100.0),
        benchmark_source: bench.map(|b| b.source),
        authenticity: auth.score,
        flags: auth
            .flags
            .iter()
            .map(|f| Flag {
                meaning: f.meaning,
                penalty: f.penalty,
            })
            .collect(),
        chart,
        posts_shown: dated.len(),
        mentions,
    })
}

pub async fn page(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lookup = id.clone();
    let found = state
        .blocking(move |s| {
            let Some(view) = s.person(&lookup)? else {
                return Ok(None);
            };
            let mut posts = Vec::new();
            for p in &view.profiles {
                posts.push(s.posts(p.platform, p.handle.as_str(), POSTS)?);
            }
            let reviews = s.person_reviews(&lookup, HISTORY)?;
            let orders = s.person_orders(&lookup, HISTORY)?;
            let brand = s.brand()?;
            Ok(Some((view, posts, reviews, orders, brand)))
        })
        .await?;
    let (view, posts, reviews, orders, brand) =
        found.ok_or_else(|| Failure::NotFound(format!("Person {id:?}")))?;
    let brand = brand
        .and_then(|t| BrandConfig::from_toml(&t).ok())
        .unwrap_or_else(|| BrandConfig::named("Your brand"));
    let matcher = BrandMatcher::new(&brand);
    let profiles = view
        .profiles
        .iter()
        .zip(posts)
        .map(|(p, posts)| profile_view(p, posts, &brand, &matcher))
        .collect::<Result<Vec<_>, _>>()?;
    let scores: Vec<CandidateJson> = view.scores.into_iter().map(Into::into).collect();
    let person = view.person;
    let reviews: Vec<_> = reviews
        .into_iter()
        .map(|r| context! { date => day(r.created_at), rating => r.rating, title => r.title, body => r.body, product => r.product, verified => r.verified_buyer })
        .collect();
    let orders: Vec<_> = orders
        .into_iter()
        .map(|o| context! { date => day(o.created_at), id => o.id, codes => o.discount_codes.join(", "), subtotal => o.subtotal_price.to_string(), currency => o.currency, status => o.financial_status })
        .collect();
    let name = match person.display_name() {
        n if n.is_empty() => person.id.clone(),
        n => n,
    };
    let html_text = state
        .templates
        .get_template("person.html")?
        .render(context! {
            me => Me::value(&me),
            nav => "discover",
            brand => brand.name,
            name => name,
            person => context! {
                source => person.source().as_str(), id => person.id, email => person.email,
                city => person.city, country => person.country, title => person.title,
                department => person.department, orders_count => person.orders_count,
                total_spent => person.total_spent.map(|m| m.to_string()),
            },
            scores => super::v(&scores),
            profiles => super::v(&profiles),
            reviews => reviews,
            orders => orders,
        })?;
    Ok(html(html_text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_keeps_every_character_and_marks_opinion_words() {
        let caption = "I love the new blend, but the lid is awful #fernwood";
        let segments = highlight(caption, &analyse(caption).terms);
        let joined: String = segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, caption, "nothing lost or repeated");
        assert!(
            segments
                .iter()
                .any(|s| s.class == "pos" && s.text == "love"),
            "{segments:?}"
        );
        assert!(
            segments
                .iter()
                .any(|s| s.class == "neg" && s.text == "awful"),
            "{segments:?}"
        );
    }
}
