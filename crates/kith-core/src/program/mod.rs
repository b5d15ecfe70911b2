//! The rules of the programs a brand runs with its people: referral codes and links,
//! where a link may send a visitor, which requests are people, commissions, attribution
//! of orders, the commission ledger, and earned media value and return on investment.
//!
//! Like the rest of the core these are pure functions over values; the store keeps the
//! state and the server answers the requests.
//!
//! # Layout
//! - [`code`]: referral codes; [`redirect`]: allowed destinations and tracked URLs;
//!   [`bots`]: which requests are people.
//! - [`attribution`]: which member an order belongs to, and fraud flags.
//! - [`commission`]: commission rules; [`ledger`]: the double-entry ledger;
//!   [`replay`]: the ledger rebuilt from stored facts; [`payout`]: PayPal payout files.
//! - [`emv`]: earned media value and return on investment.
//! - [`leaderboard`]: advocates placed by clicks and orders; [`activation`]: a field
//!   event's settings, capacity and region.

pub mod activation;
pub mod attribution;
pub mod bots;
pub mod code;
pub mod commission;
pub mod emv;
pub mod leaderboard;
pub mod ledger;
pub mod payout;
pub mod redirect;
pub mod replay;

use serde::{Deserialize, Serialize};

/// The four kinds of program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgramKind {
    /// Invited creators with perks, briefs and product seeding.
    Ambassador,
    /// Commission on the sales each member refers.
    Affiliate,
    /// Employees sharing brand posts through tracked links.
    Advocacy,
    /// A field event with a date, a place and a capacity.
    Activation,
}

impl ProgramKind {
    pub const ALL: [ProgramKind; 4] = [
        ProgramKind::Ambassador,
        ProgramKind::Affiliate,
        ProgramKind::Advocacy,
        ProgramKind::Activation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProgramKind::Ambassador => "ambassador",
            ProgramKind::Affiliate => "affiliate",
            ProgramKind::Advocacy => "advocacy",
            ProgramKind::Activation => "activation",
        }
    }

    pub fn parse(text: &str) -> Option<ProgramKind> {
        ProgramKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Where a member stands in a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    Invited,
    Active,
    Paused,
    Removed,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Invited => "invited",
            MemberStatus::Active => "active",
            MemberStatus::Paused => "paused",
            MemberStatus::Removed => "removed",
        }
    }

    pub fn parse(text: &str) -> Option<MemberStatus> {
        [
            MemberStatus::Invited,
            MemberStatus::Active,
            MemberStatus::Paused,
            MemberStatus::Removed,
        ]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// invited → active → paused ⇄ active; anyone may be removed; removal is final.
    pub fn can_become(self, next: MemberStatus) -> bool {
        use MemberStatus::*;
        matches!(
            (self, next),
            (Invited, Active)
                | (Active, Paused)
                | (Paused, Active)
                | (Invited | Active | Paused, Removed)
        )
    }

    /// Whether the member's links and codes earn.
    pub fn earns(self) -> bool {
        self == MemberStatus::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_move_invited_active_paused_and_removal_is_final() {
        use MemberStatus::*;
        assert!(Invited.can_become(Active));
        assert!(Active.can_become(Paused));
        assert!(Paused.can_become(Active));
        assert!(Active.can_become(Removed));
        assert!(!Removed.can_become(Active));
        assert!(!Invited.can_become(Paused));
    }
}
