//! Human-readable output: candidate tables and status tables for the terminal.

use std::fmt::Write as _;

use kith_core::Candidate;
use kith_core::fit::compact;

/// Pads or cuts `text` to `width` characters.
pub(crate) fn cell(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        format!("{text}{}", " ".repeat(width - n))
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn right(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{}{text}", " ".repeat(width.saturating_sub(n)))
}

/// A compact table of candidates: the columns a person scans first, and why.
pub fn candidate_table(candidates: &[Candidate]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} {} {} {} {} {} {} {} {}  why",
        right("#", 4),
        cell("name", 20),
        cell("source", 8),
        cell("profile", 28),
        right("followers", 9),
        cell("tier", 5),
        right("ER", 6),
        right("auth", 4),
        right("brand", 5),
        right("fit", 5),
    );
    for c in candidates {
        let profile = format!("{} @{}", c.platform, c.handle);
        let er = c
            .engagement_rate
            .map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_default();
        let auth = c
            .authenticity
            .map(|a| format!("{a:.0}"))
            .unwrap_or_default();
        let brand = c
            .brand_sentiment
            .map(|s| format!("{s:+.0}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{} {} {} {} {} {} {} {} {} {}  {}",
            right(&c.rank.to_string(), 4),
            cell(&c.name, 20),
            cell(c.source.map_or("-", |s| s.as_str()), 8),
            cell(&profile, 28),
            right(&c.followers.map(compact).unwrap_or_default(), 9),
            cell(c.tier.map_or("", |t| t.as_str()), 5),
            right(&er, 6),
            right(&auth, 4),
            right(&brand, 5),
            right(&format!("{:.1}", c.fit_score), 5),
            c.explanation
        );
    }
    out
}
