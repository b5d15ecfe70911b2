//! `GET /people/{id}`: one person — their profiles and scores with each explanation, a
//! chart per profile of per-post engagement over time against the band's benchmark,
//! authenticity flags in words, the posts that mention the brand with the words that
//! carry sentiment highlighted, and their reviews and orders.
//!
//! It also lists the profiles identity resolution links to the person or proposes for
//! review, and those a person rejected; `POST /people/{id}/links` (managers) stores a
//! Confirm or Reject on one of them, exactly as `kith match --review` does, and rescores.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Form};
use kith_core::authenticity::authenticity;
use kith_core::benchmark::benchmark_for;
use kith_core::brand_love::BrandMatcher;
use kith_core::engagement::engagement;
use kith_core::identity::Confirmation;
use kith_core::sentiment::{Term, analyse};
use kith_core::{BrandConfig, Handle, Platform, Post, Profile};
use kith_io::formats::matches::parse_decision;
use minijinja::context;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::macros::format_description;

use super::flash::{Notice, NoticeParam};
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
    let bench = profile
        .followers
        .zip(band)
        .and_then(|(f, b)| benchmark_for(&brand.benchmarks, profile.platform, f, b));
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

/// Confirm or Reject on the person page.
#[derive(Debug, Deserialize)]
pub struct LinkDecision {
    platform: String,
    handle: String,
    /// `confirm` or `reject`.
    decision: String,
}

/// `POST /people/{id}/links`: stores a manager's decision on one of the person's links.
pub async fn decide(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
    Form(form): Form<LinkDecision>,
) -> Result<Response, PageError> {
    let bad = |m: String| PageError::from(Failure::BadRequest(m));
    let platform = Platform::parse(&form.platform)
        .ok_or_else(|| bad(format!("{:?} is not a platform", form.platform)))?;
    let handle = Handle::parse(&form.handle).map_err(|e| bad(format!("{:?}: {e}", form.handle)))?;
    let accepted = parse_decision(&form.decision)
        .map_err(bad)?
        .ok_or_else(|| bad("choose Confirm or Reject".into()))?;
    let decision = Confirmation {
        person_id: id.clone(),
        platform,
        handle,
        accepted,
    };
    let decided_by = me
        .user()
        .map(|u| u.email.clone())
        .unwrap_or_else(|| me.label());
    let stored = decision.clone();
    let identity = state.identity.clone();
    let outcome = state
        .blocking(move |s| {
            // Only about a person and a profile kith has, as `kith match --review` checks.
            let Some(view) = s.person(&stored.person_id)? else {
                return Ok(None);
            };
            let person = view.person;
            let name = match person.display_name() {
                n if n.is_empty() => person.id.clone(),
                n => n,
            };
            if !identity.has_profile(s, stored.platform, &stored.handle)? {
                return Ok(Some((name, false)));
            }
            s.save_confirmations(std::slice::from_ref(&stored), &decided_by)?;
            Ok(Some((name, true)))
        })
        .await?;
    let Some((name, known)) = outcome else {
        return Err(Failure::NotFound(format!("Person {id:?}")).into());
    };
    let back = format!("/people/{}", super::url_encode(&id));
    let profile = format!("{} @{}", decision.platform, decision.handle);
    if !known {
        let notice = Notice::error(format!(
            "Nothing stored: no {profile} profile was imported."
        ));
        return Ok(state.flashes.redirect(&me, &back, notice)?);
    }
    tracing::info!(who = %me.label(), person = %id, %profile, accepted, "identity decision");
    // Rescoring reads everything; the page need not wait for it, nor for resolving again.
    state.identity.refresh_in_background(&state.store);
    let store = std::sync::Arc::clone(&state.store);
    tokio::task::spawn_blocking(move || {
        if let Err(e) = crate::imports::rescore(store.as_ref()) {
            tracing::error!(error = %e, "rescoring after an identity decision failed");
        }
    });
    let text = if accepted {
        format!("Confirmed: {profile} is {name}'s. Scores are being refreshed.")
    } else {
        format!("Rejected: {profile} is not {name}'s. Scores are being refreshed.")
    };
    Ok(state.flashes.redirect(&me, &back, Notice::ok(text))?)
}

pub async fn page(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
    Query(q): Query<NoticeParam>,
) -> Result<Response, PageError> {
    let lookup = id.clone();
    let identity = state.identity.clone();
    let found = state
        .blocking(move |s| {
            let Some(view) = s.person(&lookup)? else {
                return Ok(None);
            };
            // Resolution weighs every person's claim on a profile; it is kept per data
            // version, so this reads the person's rows of the latest one.
            let links = identity.links(s, &lookup)?;
            let mut posts = Vec::new();
            for p in &view.profiles {
                posts.push(s.posts(p.platform, p.handle.as_str(), POSTS)?);
            }
            let reviews = s.person_reviews(&lookup, HISTORY)?;
            let orders = s.person_orders(&lookup, HISTORY)?;
            let brand = s.brand()?;
            Ok(Some((view, posts, reviews, orders, brand, links)))
        })
        .await?;
    let (view, posts, reviews, orders, brand, links) =
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
    let path_id = super::url_encode(&person.id);
    super::page_with_notice(
        &state,
        &me,
        "person.html",
        "discover",
        q.notice.as_deref(),
        context! {
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
            links => super::v(&links),
            path_id => path_id,
        },
    )
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
