//! An in-memory index of the scored candidates, so Discover and `/api/v1/candidates`
//! answer a filter + sort + page over a million rows in milliseconds on either backend.
//!
//! Why not SQL alone: every page also needs the filtered total, and counting a filtered
//! million rows costs SQLite seconds (an index lookup per row) and PostgreSQL hundreds of
//! milliseconds; a sort by any of eight columns needs an index per column and filter.
//! Candidates only change when they are rescored, so the server keeps them in memory,
//! with the filterable fields as compact columns (a scan of a million rows is a few
//! milliseconds) and one order per sort key and direction, built on first use.
//!
//! The index answers exactly what [`kith_store::Store::refined_candidates`] would: same
//! filters, same order with nulls last, same tie-breaks (a test compares the two). It is
//! keyed by the store's `scored_version` and rebuilt in the background when that moves;
//! until it is ready, or for a query it cannot answer, the store answers.

use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::Instant;

use kith_core::{Candidate, CandidateQuery, PersonSource, Platform, SortKey, SortOrder, Tier};
use kith_store::{Refinement, Store, StoreError};

/// Sort keys, in the order of the per-key orders kept.
const KEYS: [SortKey; 8] = [
    SortKey::FitScore,
    SortKey::Followers,
    SortKey::EngagementRate,
    SortKey::ErIndex,
    SortKey::Authenticity,
    SortKey::BrandMentions,
    SortKey::BrandSentiment,
    SortKey::CustomerValue,
];

fn key_index(k: SortKey) -> usize {
    KEYS.iter().position(|x| *x == k).unwrap_or(0)
}

/// The candidates of one scoring, with their filter columns.
///
/// `rows` are in the store's default order (fit, then the tie-breaks), so a row's
/// position *is* its tie-break: sorting by any key is sorting `(key, position)` pairs.
struct Snapshot {
    version: Option<i64>,
    rows: Vec<Candidate>,
    source: Vec<u8>,
    tier: Vec<u8>,
    platform: Vec<u8>,
    /// Bit `i` set when the row carries category `categories[i]` (lower-cased, trimmed).
    category_bits: Vec<u64>,
    categories: Vec<String>,
    /// Null is NaN, which no `>=` test passes.
    authenticity: Vec<f64>,
    engagement: Vec<f64>,
    followers: Vec<f64>,
    sentiment: Vec<f64>,
    /// One order per (sort key, direction), built when first asked for.
    orders: Vec<OnceLock<Vec<u32>>>,
    /// The rows of the latest filters, most recent first: paging through one filter, or
    /// re-sorting it, scans the rows once.
    recent: Mutex<Vec<(String, Arc<Matches>)>>,
}

/// The rows a filter keeps (one bit each) and how many.
struct Matches {
    bits: Vec<u64>,
    count: u64,
}

/// How many filters' matches are kept (125 KB each per million candidates).
const RECENT: usize = 32;

const NONE: u8 = u8::MAX;

fn code<T: PartialEq + Copy>(all: &[T], v: Option<T>) -> u8 {
    v.and_then(|v| all.iter().position(|x| *x == v))
        .map_or(NONE, |i| i as u8)
}

const SOURCES: [PersonSource; 2] = [PersonSource::Customer, PersonSource::Employee];

fn value(c: &Candidate, k: SortKey) -> Option<f64> {
    match k {
        SortKey::FitScore => Some(c.fit_score),
        SortKey::Followers => c.followers.map(|f| f as f64),
        SortKey::EngagementRate => c.engagement_rate,
        SortKey::ErIndex => c.er_index,
        SortKey::Authenticity => c.authenticity,
        SortKey::BrandMentions => Some(f64::from(c.brand_mentions)),
        SortKey::BrandSentiment => c.brand_sentiment,
        SortKey::CustomerValue => c.customer_value,
    }
}

fn or_nan(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

impl Snapshot {
    fn build(version: Option<i64>, mut rows: Vec<Candidate>) -> Option<Snapshot> {
        // The store returns this order already; sorting sorted rows is nearly free, and
        // the tie-breaks below depend on it.
        rows.sort_by(Candidate::ranking_cmp);
        let mut categories: Vec<String> = Vec::new();
        let mut category_bits = Vec::with_capacity(rows.len());
        for c in &rows {
            let mut bits = 0u64;
            for name in &c.categories {
                let name = name.trim().to_lowercase();
                let i = match categories.iter().position(|x| *x == name) {
                    Some(i) => i,
                    None => {
                        categories.push(name);
                        categories.len() - 1
                    }
                };
                // More categories than bits: leave every query to the store.
                if i >= 64 {
                    return None;
                }
                bits |= 1 << i;
            }
            category_bits.push(bits);
        }
        Some(Snapshot {
            version,
            source: rows.iter().map(|c| code(&SOURCES, c.source)).collect(),
            tier: rows.iter().map(|c| code(&Tier::ALL, c.tier)).collect(),
            platform: rows
                .iter()
                .map(|c| code(&Platform::ALL, Some(c.platform)))
                .collect(),
            authenticity: rows.iter().map(|c| or_nan(c.authenticity)).collect(),
            engagement: rows.iter().map(|c| or_nan(c.engagement_rate)).collect(),
            followers: rows
                .iter()
                .map(|c| or_nan(c.followers.map(|f| f as f64)))
                .collect(),
            sentiment: rows.iter().map(|c| or_nan(c.brand_sentiment)).collect(),
            category_bits,
            categories,
            orders: (0..KEYS.len() * 2).map(|_| OnceLock::new()).collect(),
            recent: Mutex::new(Vec::new()),
            rows,
        })
    }

    /// Positions sorted by the key in the direction asked, nulls last either way, ties
    /// by position — which is the store's order, since rows are in its default order.
    fn order(&self, k: SortKey, o: SortOrder) -> &[u32] {
        let slot = key_index(k) * 2 + usize::from(o == SortOrder::Asc);
        self.orders[slot].get_or_init(|| {
            let mut keyed: Vec<(f64, u32)> = self
                .rows
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    // `+ 0.0` makes −0 equal to 0, as SQL compares them.
                    let v = match (value(c, k), o) {
                        (None, _) => f64::INFINITY,
                        (Some(v), SortOrder::Asc) => v + 0.0,
                        (Some(v), SortOrder::Desc) => -v + 0.0,
                    };
                    (v, i as u32)
                })
                .collect();
            keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            keyed.into_iter().map(|(_, i)| i).collect()
        })
    }

    /// [`Snapshot::scan`], remembered for the latest filters.
    fn matching(&self, q: &CandidateQuery, r: &Refinement) -> Option<Arc<Matches>> {
        // Everything but the sort and the page.
        let key = format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            q.source,
            q.tier,
            q.platform,
            q.category.as_deref().map(|c| c.trim().to_lowercase()),
            q.min_authenticity,
            q.min_er,
            r
        );
        {
            let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(i) = recent.iter().position(|(k, _)| *k == key) {
                let hit = recent.remove(i);
                let found = Arc::clone(&hit.1);
                recent.insert(0, hit);
                return Some(found);
            }
        }
        let (bits, count) = self.scan(q, r)?;
        let found = Arc::new(Matches { bits, count });
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        recent.insert(0, (key, Arc::clone(&found)));
        recent.truncate(RECENT);
        Some(found)
    }

    /// Which rows pass the filters (one bit each) and how many, or `None` when the
    /// query is one the index cannot answer.
    fn scan(&self, q: &CandidateQuery, r: &Refinement) -> Option<(Vec<u64>, u64)> {
        let source = q.source.person_source().map(|s| code(&SOURCES, Some(s)));
        let tier = q.tier.map(|t| code(&Tier::ALL, Some(t)));
        let platform = q.platform.map(|p| code(&Platform::ALL, Some(p)));
        let category = match q
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => None,
            // The store matches `;`-joined text; a `;` in the needle spans elements.
            Some(c) if c.contains(';') => return None,
            Some(c) => {
                let c = c.to_lowercase();
                // A category no row has matches nothing: an empty mask.
                Some(
                    self.categories
                        .iter()
                        .position(|x| *x == c)
                        .map_or(0, |i| 1u64 << i),
                )
            }
        };
        let min_followers = r.min_followers.map(|f| f as f64);
        let max_followers = r.max_followers.map(|f| f as f64);
        let n = self.rows.len();
        let mut bits = vec![0u64; n.div_ceil(64)];
        let mut count = 0u64;
        // Column by column, in row order: sequential reads of small arrays.
        for i in 0..n {
            let keep = source.is_none_or(|s| self.source[i] == s)
                && tier.is_none_or(|t| self.tier[i] == t)
                && platform.is_none_or(|p| self.platform[i] == p)
                && category.is_none_or(|m| self.category_bits[i] & m != 0)
                && q.min_authenticity.is_none_or(|m| self.authenticity[i] >= m)
                && q.min_er.is_none_or(|m| self.engagement[i] >= m)
                && min_followers.is_none_or(|m| self.followers[i] >= m)
                && max_followers.is_none_or(|m| self.followers[i] < m)
                && r.min_brand_sentiment.is_none_or(|m| self.sentiment[i] >= m);
            if keep {
                bits[i / 64] |= 1 << (i % 64);
                count += 1;
            }
        }
        Some((bits, count))
    }

    /// One page and the filtered total, or `None` when the store must answer.
    fn query(&self, q: &CandidateQuery, r: &Refinement) -> Option<(Vec<Candidate>, u64)> {
        let found = self.matching(q, r)?;
        let (bits, total) = (&found.bits, found.count);
        let offset = usize::try_from(q.offset()).unwrap_or(usize::MAX);
        let limit = q.limit as usize;
        let mut page = Vec::with_capacity(limit.min(500));
        if (offset as u64) >= total || limit == 0 {
            return Some((page, total));
        }
        let mut seen = 0usize;
        for &i in self.order(q.sort, q.order) {
            let i = i as usize;
            if bits[i / 64] & (1 << (i % 64)) == 0 {
                continue;
            }
            if seen >= offset {
                let mut c = self.rows[i].clone();
                c.rank = u32::try_from(seen + 1).unwrap_or(u32::MAX);
                page.push(c);
                if page.len() == limit {
                    break;
                }
            }
            seen += 1;
        }
        Some((page, total))
    }

    /// Builds every order now, so no request pays for it.
    fn warm(&self) {
        for k in KEYS {
            for o in [SortOrder::Desc, SortOrder::Asc] {
                self.order(k, o);
            }
        }
    }
}

/// The index as the server holds it.
#[derive(Clone, Default)]
pub struct Discovery {
    snapshot: Arc<RwLock<Option<Arc<Snapshot>>>>,
    building: Arc<Mutex<bool>>,
}

impl std::fmt::Debug for Discovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Discovery").finish_non_exhaustive()
    }
}

impl Discovery {
    fn current(&self) -> Option<Arc<Snapshot>> {
        self.snapshot
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Builds the snapshot now, on this thread (startup, tests, benchmarks).
    pub fn rebuild(&self, store: &dyn Store) -> Result<(), StoreError> {
        let started = Instant::now();
        let version = store.scored_version()?;
        let rows = store.candidates(&CandidateQuery {
            limit: u32::MAX,
            ..CandidateQuery::default()
        })?;
        let count = rows.len();
        let built = Snapshot::build(version, rows).map(Arc::new);
        if let Some(snapshot) = &built {
            snapshot.warm();
        }
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = built;
        tracing::info!(
            rows = count,
            ms = started.elapsed().as_millis() as u64,
            "discovery index built"
        );
        Ok(())
    }

    /// What the index alone answers, whatever the store's version: `None` when it is not
    /// built or cannot answer this query. For tests and benchmarks.
    pub fn answer(&self, q: &CandidateQuery, r: &Refinement) -> Option<(Vec<Candidate>, u64)> {
        self.current()?.query(q, r)
    }

    /// Starts a rebuild on another thread unless one is running.
    pub fn rebuild_in_background(&self, store: &Arc<dyn Store>) {
        {
            let mut building = self.building.lock().unwrap_or_else(PoisonError::into_inner);
            if *building {
                return;
            }
            *building = true;
        }
        let this = self.clone();
        let store = Arc::clone(store);
        std::thread::spawn(move || {
            if let Err(e) = this.rebuild(store.as_ref()) {
                tracing::warn!(error = %e, "cannot build the discovery index");
            }
            *this.building.lock().unwrap_or_else(PoisonError::into_inner) = false;
        });
    }

    /// One page and the filtered total. The index answers when it holds the scores the
    /// store holds now (one small query tells); otherwise the store answers and the index
    /// is rebuilt behind it.
    pub async fn find(
        &self,
        store: &Arc<dyn Store>,
        q: CandidateQuery,
        r: Refinement,
    ) -> Result<(Vec<Candidate>, u64), crate::error::Failure> {
        let this = self.clone();
        let store = Arc::clone(store);
        let answer = tokio::task::spawn_blocking(move || {
            let version = store.scored_version()?;
            if let Some(snapshot) = this.current().filter(|s| s.version == version) {
                if let Some(answer) = snapshot.query(&q, &r) {
                    return Ok(answer);
                }
            } else {
                this.rebuild_in_background(&store);
            }
            Ok::<_, StoreError>((
                store.refined_candidates(&q, &r)?,
                store.count_refined_candidates(&q, &r)?,
            ))
        })
        .await??;
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_core::Handle;

    fn row(handle: &str, fit: f64, followers: Option<u64>, er: Option<f64>) -> Candidate {
        Candidate {
            rank: 0,
            person_id: Some(format!("p-{handle}")),
            source: Some(PersonSource::Customer),
            name: handle.into(),
            platform: Platform::Instagram,
            handle: Handle::parse(handle).unwrap(),
            followers,
            tier: Some(Tier::Micro),
            engagement_rate: er,
            er_index: None,
            authenticity: Some(80.0),
            authenticity_flags: Vec::new(),
            categories: vec!["Food & Drink".into()],
            brand_mentions: 0,
            brand_sentiment: None,
            customer_value: None,
            fit_score: fit,
            explanation: String::new(),
        }
    }

    #[test]
    fn nulls_sort_last_both_ways_and_ties_fall_to_fit_then_followers() {
        let rows = vec![
            row("a", 50.0, Some(10), Some(0.02)),
            row("b", 60.0, None, None),
            row("c", 70.0, Some(20), Some(0.02)),
            row("d", 40.0, Some(30), Some(0.05)),
        ];
        let s = Snapshot::build(Some(1), rows).unwrap();
        let handles = |k, o| {
            let q = CandidateQuery {
                sort: k,
                order: o,
                ..CandidateQuery::default()
            };
            let (page, total) = s.query(&q, &Refinement::default()).unwrap();
            assert_eq!(total, 4);
            page.iter()
                .map(|c| c.handle.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(",")
        };
        assert_eq!(handles(SortKey::EngagementRate, SortOrder::Desc), "d,c,a,b");
        assert_eq!(handles(SortKey::EngagementRate, SortOrder::Asc), "c,a,d,b");
        assert_eq!(handles(SortKey::Followers, SortOrder::Asc), "a,c,d,b");
        assert_eq!(handles(SortKey::FitScore, SortOrder::Desc), "c,b,a,d");
    }

    #[test]
    fn filters_pages_and_ranks_match_the_store_rules() {
        let rows: Vec<Candidate> = (0u32..10)
            .map(|i| {
                row(
                    &format!("h{i}"),
                    f64::from(i),
                    Some(1_000 * u64::from(i)),
                    Some(0.01),
                )
            })
            .collect();
        let s = Snapshot::build(Some(1), rows).unwrap();
        let q = CandidateQuery {
            page: 2,
            limit: 3,
            category: Some(" food & drink ".into()),
            ..CandidateQuery::default()
        };
        let r = Refinement {
            min_followers: Some(2_000),
            ..Refinement::default()
        };
        let (page, total) = s.query(&q, &r).unwrap();
        assert_eq!(total, 8);
        assert_eq!(page.iter().map(|c| c.rank).collect::<Vec<_>>(), [4, 5, 6]);
        assert_eq!(page[0].handle.as_str(), "h6");
        let none = CandidateQuery {
            category: Some("travel".into()),
            ..CandidateQuery::default()
        };
        assert_eq!(s.query(&none, &Refinement::default()).unwrap().1, 0);
        let split = CandidateQuery {
            category: Some("a;b".into()),
            ..CandidateQuery::default()
        };
        assert!(
            s.query(&split, &Refinement::default()).is_none(),
            "left to the store"
        );
    }
}
