//! The fit score: a weighted blend of the components, and the sentence that explains it.

use crate::authenticity::Authenticity;
use crate::brand::Weights;
use crate::brand_love::BrandLove;
use crate::category::CategoryScore;
use crate::handle::Platform;
use crate::tier::Band;

/// The inputs of the fit score; `None` where a component could not be computed.
#[derive(Debug, Clone, Copy)]
pub struct Components<'a> {
    pub band: Option<Band>,
    pub er_index: Option<f64>,
    pub authenticity: f64,
    pub affinity: Option<f64>,
    /// `None` when the brand has no terms to look for.
    pub brand_love: Option<&'a BrandLove>,
    pub customer_value: Option<f64>,
}

/// How well the tier suits a ROI-minded program: micro is the sweet spot.
fn reach(band: Band) -> f64 {
    match band {
        Band::Nano => 0.3,
        Band::MicroLow => 0.9,
        Band::MicroHigh => 1.0,
        Band::Macro => 0.6,
        Band::Mega => 0.3,
    }
}

/// An ER index of 1 (on benchmark) is worth 0.5 and twice the benchmark full marks.
/// Beyond three times the benchmark, engagement stops looking earned (pods, giveaways),
/// so the credit falls back to half at six times.
fn engagement(er_index: f64) -> f64 {
    if er_index <= 3.0 {
        (er_index / 2.0).clamp(0.0, 1.0)
    } else {
        (1.0 - (er_index - 3.0) / 6.0).max(0.5)
    }
}

/// A profile whose audience may be bought is not a partner, however it scores
/// otherwise: the blend is scaled by authenticity, from 40 % at 0 to 100 % at 100.
fn authenticity_gate(authenticity: f64) -> f64 {
    0.4 + 0.6 * (authenticity / 100.0).clamp(0.0, 1.0)
}

/// No mention at all is 0; each mentioning post or review adds confidence, up to three,
/// and the sentiment sets how much of it counts.
fn love(l: &BrandLove) -> f64 {
    let Some(sentiment) = l.sentiment else {
        return 0.0;
    };
    let volume = (f64::from(l.mentions + l.reviews) / 3.0).min(1.0);
    volume * ((sentiment / 100.0 + 1.0) / 2.0)
}

/// 0–100: the weighted mean of the components that could be computed.
pub fn fit(c: &Components<'_>, w: &Weights) -> f64 {
    let parts = [
        (w.reach, c.band.map(reach)),
        (w.engagement, c.er_index.map(engagement)),
        (w.authenticity, Some(c.authenticity / 100.0)),
        (w.affinity, c.affinity),
        (w.brand_love, c.brand_love.map(love)),
        (w.customer_value, c.customer_value.map(|v| v / 100.0)),
    ];
    let (sum, weight) = parts
        .iter()
        .filter_map(|(w, v)| v.map(|v| (w * v, *w)))
        .fold((0.0, 0.0), |(s, t), (x, w)| (s + x, t + w));
    if weight <= 0.0 {
        return 0.0;
    }
    (100.0 * sum / weight * authenticity_gate(c.authenticity)).clamp(0.0, 100.0)
}

/// What makes an employee a good advocate.
#[derive(Debug, Clone, Copy)]
pub struct Advocacy<'a> {
    pub followers: Option<u64>,
    pub er_index: Option<f64>,
    pub posts_per_week: f64,
    /// Every platform on which the employee has a profile.
    pub platforms: &'a [Platform],
    pub authenticity: f64,
    /// `None` when the brand has no terms to look for.
    pub love: Option<&'a BrandLove>,
}

/// Employee advocacy fit, 0–100: social fluency (posting cadence and engagement),
/// followers in the range where a colleague's voice carries, presence on the visual
/// platforms advocacy programs run on (Instagram and TikTok), and genuine excitement
/// about the company (posts about it, and their tone).
pub fn advocacy_fit(a: &Advocacy<'_>) -> f64 {
    // A post or more a week is fluent; engagement adds to it when a benchmark exists.
    let cadence = (a.posts_per_week / 1.0).min(1.0);
    let fluency = match a.er_index {
        Some(idx) => 0.5 * cadence + 0.5 * engagement(idx),
        None => cadence,
    };
    let range = match a.followers {
        None => 0.0,
        Some(f) if f < 200 => 0.2,
        Some(f) if f < 1_000 => 0.6,
        Some(f) if f <= 50_000 => 1.0,
        Some(f) if f < 100_000 => 0.8,
        Some(f) if f < 1_000_000 => 0.5,
        Some(_) => 0.3,
    };
    let visual = [Platform::Instagram, Platform::Tiktok]
        .iter()
        .filter(|p| a.platforms.contains(p))
        .count();
    let presence = [0.4, 0.75, 1.0][visual];
    let parts = [
        (0.3, Some(fluency)),
        (0.2, Some(range)),
        (0.2, Some(presence)),
        (0.3, a.love.map(love)),
    ];
    let (sum, weight) = parts
        .iter()
        .filter_map(|(w, v)| v.map(|v| (w * v, *w)))
        .fold((0.0, 0.0), |(s, t), (x, w)| (s + x, t + w));
    (100.0 * sum / weight * authenticity_gate(a.authenticity)).clamp(0.0, 100.0)
}

/// What an explanation says.
#[derive(Debug, Clone, Copy)]
pub struct Explained<'a> {
    pub followers: Option<u64>,
    pub band: Option<Band>,
    pub engagement_rate: Option<f64>,
    pub er_index: Option<f64>,
    /// Engagement per view, when the index compares it (YouTube) rather than the rate.
    pub per_view: Option<f64>,
    pub authenticity: &'a Authenticity,
    pub categories: &'a [CategoryScore],
    pub love: &'a BrandLove,
    pub customer_value: Option<f64>,
}

/// "micro 24k · ER 3.4% = 1.4× band · authentic 91 · food & drink 0.82 · 4 positive brand
/// posts · top 10% customer"
pub fn explain(e: &Explained<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    match (e.band, e.followers) {
        (Some(band), Some(f)) => parts.push(format!("{} {}", band.tier(), compact(f))),
        _ => parts.push("followers unknown".into()),
    }
    match (e.engagement_rate, e.er_index, e.per_view) {
        (Some(er), Some(idx), Some(pv)) => parts.push(format!(
            "ER {:.1}% · {:.1}% per view = {idx:.1}× band",
            er * 100.0,
            pv * 100.0
        )),
        (Some(er), Some(idx), None) => {
            parts.push(format!("ER {:.1}% = {idx:.1}× band", er * 100.0));
        }
        (Some(er), None, _) => parts.push(format!("ER {:.1}% (no benchmark)", er * 100.0)),
        (None, _, _) => parts.push("no recent posts".into()),
    }
    let flags: Vec<&str> = e.authenticity.flags.iter().map(|f| f.meaning).collect();
    if flags.is_empty() {
        parts.push(format!("authentic {:.0}", e.authenticity.score));
    } else {
        parts.push(format!(
            "authentic {:.0} ({})",
            e.authenticity.score,
            flags.join(", ")
        ));
    }
    if let Some(top) = e.categories.first() {
        parts.push(format!("{} {:.2}", top.name, top.confidence));
    }
    let l = e.love;
    if l.mentions > 0 {
        let tone = match (l.positive_posts, l.negative_posts) {
            (p, 0) if p > 0 => "positive ",
            (0, n) if n > 0 => "negative ",
            _ => "",
        };
        let s = if l.mentions == 1 { "" } else { "s" };
        parts.push(format!("{} {tone}brand post{s}", l.mentions));
    }
    if let (Some(rating), n) = (l.mean_rating, l.reviews) {
        let s = if n == 1 { "" } else { "s" };
        parts.push(format!("{n} review{s} avg {rating:.1}★"));
    }
    if let Some(v) = e.customer_value {
        let top = (100.0 - v).max(1.0).ceil();
        if top <= 50.0 {
            parts.push(format!("top {top:.0}% customer"));
        } else {
            parts.push("customer".into());
        }
    }
    parts.join(" · ")
}

/// 24300 → "24k", 1500 → "1.5k", 2100000 → "2.1M".
pub fn compact(n: u64) -> String {
    let x = n as f64;
    if n >= 1_000_000 {
        trim(format!("{:.1}", x / 1e6)) + "M"
    } else if n >= 10_000 {
        format!("{:.0}k", x / 1e3)
    } else if n >= 1_000 {
        trim(format!("{:.1}", x / 1e3)) + "k"
    } else {
        n.to_string()
    }
}

fn trim(s: String) -> String {
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_numbers_read_like_people_write_them() {
        assert_eq!(compact(950), "950");
        assert_eq!(compact(1_500), "1.5k");
        assert_eq!(compact(24_300), "24k");
        assert_eq!(compact(2_100_000), "2.1M");
        assert_eq!(compact(1_000_000), "1M");
    }

    #[test]
    fn suspiciously_high_engagement_earns_less_than_strong_engagement() {
        assert!(engagement(8.0) < engagement(2.0));
        assert!(engagement(100.0) >= 0.5);
    }

    #[test]
    fn fit_ignores_components_that_could_not_be_computed() {
        let w = Weights::default();
        let only_auth = Components {
            band: None,
            er_index: None,
            authenticity: 80.0,
            affinity: None,
            brand_love: None,
            customer_value: None,
        };
        // 80 as the only component, scaled by the authenticity gate 0.4 + 0.6 × 0.8.
        assert!((fit(&only_auth, &w) - 80.0 * 0.88).abs() < 1e-9);
    }

    #[test]
    fn an_active_employee_on_instagram_and_tiktok_who_loves_the_brand_is_a_strong_advocate() {
        let love = BrandLove {
            mentions: 3,
            sentiment: Some(80.0),
            ..BrandLove::default()
        };
        let quiet = BrandLove::default();
        let strong = Advocacy {
            followers: Some(2_400),
            er_index: Some(1.5),
            posts_per_week: 2.0,
            platforms: &[Platform::Instagram, Platform::Tiktok],
            authenticity: 100.0,
            love: Some(&love),
        };
        let weak = Advocacy {
            followers: Some(150),
            er_index: Some(0.3),
            posts_per_week: 0.1,
            platforms: &[Platform::X],
            love: Some(&quiet),
            ..strong
        };
        assert!(advocacy_fit(&strong) > 85.0, "{}", advocacy_fit(&strong));
        assert!(advocacy_fit(&weak) < 30.0, "{}", advocacy_fit(&weak));
    }

    #[test]
    fn fit_stays_within_zero_and_one_hundred() {
        let love = BrandLove {
            mentions: 9,
            sentiment: Some(100.0),
            ..BrandLove::default()
        };
        let c = Components {
            band: Some(Band::MicroHigh),
            er_index: Some(2.0),
            authenticity: 100.0,
            affinity: Some(1.0),
            brand_love: Some(&love),
            customer_value: Some(100.0),
        };
        assert_eq!(fit(&c, &Weights::default()), 100.0);
    }
}
