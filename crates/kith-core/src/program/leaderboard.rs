//! The advocacy leaderboard: members placed by the clicks their shares brought, then by
//! the orders attributed to them.
//!
//! Clicks come first because sharing is what an advocacy program asks of employees;
//! orders break ties. Members with the same clicks and orders share a place and the next
//! place skips ("1, 2, 2, 4"), so no one is ranked below someone who did no better.

use serde::Serialize;

/// What one member brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing<K> {
    pub key: K,
    pub clicks: u64,
    pub orders: u64,
}

/// A standing and its place, 1 the best.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placed<K> {
    pub place: u32,
    #[serde(flatten)]
    pub standing: Standing<K>,
}

/// Where someone stands: `place` of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rank {
    pub place: u32,
    pub of: u32,
}

/// The standings, best first, each with its place. Equal standings keep the order of
/// their keys, so the board reads the same every time.
pub fn rank<K: Ord>(mut standings: Vec<Standing<K>>) -> Vec<Placed<K>> {
    standings.sort_by(|a, b| {
        (b.clicks, b.orders)
            .cmp(&(a.clicks, a.orders))
            .then_with(|| a.key.cmp(&b.key))
    });
    let mut out: Vec<Placed<K>> = Vec::with_capacity(standings.len());
    for (i, standing) in standings.into_iter().enumerate() {
        let place = match out.last() {
            Some(prev)
                if (prev.standing.clicks, prev.standing.orders)
                    == (standing.clicks, standing.orders) =>
            {
                prev.place
            }
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        out.push(Placed { place, standing });
    }
    out
}

/// The rank of `key` on a board, if it is on it.
pub fn rank_of<K: PartialEq>(board: &[Placed<K>], key: &K) -> Option<Rank> {
    let of = u32::try_from(board.len()).unwrap_or(u32::MAX);
    board
        .iter()
        .find(|p| p.standing.key == *key)
        .map(|p| Rank { place: p.place, of })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(key: &str, clicks: u64, orders: u64) -> Standing<String> {
        Standing {
            key: key.into(),
            clicks,
            orders,
        }
    }

    #[test]
    fn clicks_rank_first_orders_break_ties_and_equals_share_a_place() {
        let board = rank(vec![
            s("ana", 3, 0),
            s("ben", 9, 1),
            s("cy", 3, 2),
            s("dee", 3, 0),
            s("eve", 0, 0),
        ]);
        let placed: Vec<(&str, u32)> = board
            .iter()
            .map(|p| (p.standing.key.as_str(), p.place))
            .collect();
        assert_eq!(
            placed,
            [("ben", 1), ("cy", 2), ("ana", 3), ("dee", 3), ("eve", 5)]
        );
        assert_eq!(
            rank_of(&board, &"dee".to_owned()),
            Some(Rank { place: 3, of: 5 })
        );
        assert_eq!(rank_of(&board, &"zed".to_owned()), None);
        assert!(rank::<String>(vec![]).is_empty());
    }
}
