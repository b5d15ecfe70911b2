//! The values [`ProgramStore`](super::ProgramStore) trades in: programs, members, links,
//! clicks, orders and refunds as received, receipts, conversions, report rows, payouts
//! and the portal's view.

use std::collections::BTreeMap;

use kith_core::Money;
use kith_core::program::attribution::FraudFlag;
use kith_core::program::code::ReferralCode;
use kith_core::program::commission::CommissionRule;
use kith_core::program::payout::{PayoutFileError, PayoutLine, paypal_csv};
use kith_core::program::{MemberStatus, ProgramKind};
use serde::Serialize;
use time::OffsetDateTime;

use crate::StoreError;

/// A program to create.
#[derive(Debug, Clone)]
pub struct NewProgram {
    pub name: String,
    pub kind: ProgramKind,
    pub commission: Option<CommissionRule>,
    /// Where links send visitors; `None` is the brand's website.
    pub destination: Option<String>,
    pub currency: String,
    /// Fixed costs of the program, counted in its ROI.
    pub fee: Money,
    pub hold_days: u32,
    pub window_days: u32,
    /// Kind-specific settings (an activation's date, place, region, capacity).
    pub details: serde_json::Value,
    pub starts_at: OffsetDateTime,
}

/// A program as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Program {
    pub id: i64,
    pub name: String,
    pub kind: ProgramKind,
    pub commission: Option<CommissionRule>,
    pub destination: Option<String>,
    pub currency: String,
    pub fee: Money,
    pub hold_days: u32,
    pub window_days: u32,
    pub details: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// One person to enrol.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub person_id: String,
    /// The code to give; `None` suggests one from the first name (`MAYA10`).
    pub code: Option<ReferralCode>,
    pub status: MemberStatus,
    pub destination: Option<String>,
    /// What the product sent to them cost.
    pub seeding: Money,
}

impl Enrolment {
    pub fn new(person_id: &str) -> Enrolment {
        Enrolment {
            person_id: person_id.to_owned(),
            code: None,
            status: MemberStatus::Active,
            destination: None,
            seeding: Money::ZERO,
        }
    }
}

/// A member of a program, with the person's name and email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub id: i64,
    pub program_id: i64,
    pub program: String,
    pub person_id: String,
    pub code: ReferralCode,
    pub status: MemberStatus,
    pub destination: Option<String>,
    pub seeding: Money,
    pub leaked: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub joined_at: OffsetDateTime,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// What the redirect needs to answer `/r/{code}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub member_id: i64,
    pub code: ReferralCode,
    pub status: MemberStatus,
    /// The member's destination, else the program's; `None` is the brand's website.
    pub destination: Option<String>,
    /// The program's name, the link's `utm_campaign`.
    pub campaign: String,
    pub window_days: u32,
    /// For an advocacy share link: the library post it shares (its clicks count to it).
    pub content_id: Option<i64>,
    /// Whether each counted click gets a single-use discount code (the program's
    /// `single_use_codes` setting).
    pub single_use: bool,
}

/// An advocate's tracked link to one post of the library: `/r/{code}` goes to the post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareLink {
    pub code: ReferralCode,
    pub member_id: i64,
    /// The member's own code.
    pub member_code: ReferralCode,
    pub person_id: String,
    pub content_id: i64,
    pub title: String,
    pub url: Option<String>,
    /// Counted clicks on this link.
    pub clicks: u64,
}

/// People of an activation's region invited by [`ProgramStore::invite_region`](super::ProgramStore::invite_region).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    /// Those invited now.
    pub invited: Vec<Member>,
    /// People of the region who are not members yet, before this invitation.
    pub in_region: u64,
    /// Places left afterwards; `None` without a capacity.
    pub seats_left: Option<u64>,
}

/// A click to store: a person, not a bot, followed a member's link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClick {
    pub member_id: i64,
    /// The id in the visitor's referral cookie.
    pub visitor: String,
    pub at: OffsetDateTime,
    /// A salted hash of the visitor's address, never the address.
    pub ip_hash: Option<String>,
    /// The advocacy library post that was shared, if any.
    pub content_id: Option<i64>,
    /// The single-use discount code issued for this click, stored with it.
    pub single_use_code: Option<ReferralCode>,
}

/// The click writer's own connection: [`ClickLog::persist`] returns only once the clicks
/// are durable (flushed to disk), so the redirect can answer after it and never lose an
/// answered click; [`ClickLog::append`] also waits until they are visible to readers.
pub trait ClickLog: Send {
    fn append(&mut self, clicks: &[NewClick]) -> Result<(), StoreError>;

    /// Returns once the clicks are durable; the [`Applied`] says when they are visible
    /// to readers too. Batches become visible in the order they were persisted. The
    /// default is [`ClickLog::append`] (durable and visible at once); the SQLite log
    /// journals the batch and inserts it on a thread of its own.
    fn persist(&mut self, clicks: &[NewClick]) -> Result<Applied, StoreError> {
        self.append(clicks).map(|()| Applied::done())
    }
}

/// When a persisted batch of clicks is visible to readers.
#[derive(Debug)]
pub struct Applied(Option<std::sync::mpsc::Receiver<Result<(), String>>>);

impl Applied {
    /// Already visible.
    pub fn done() -> Applied {
        Applied(None)
    }

    pub(crate) fn pending(rx: std::sync::mpsc::Receiver<Result<(), String>>) -> Applied {
        Applied(Some(rx))
    }

    /// Waits until the batch is visible. An error leaves the clicks durable (the journal
    /// replays them when the log is next opened) but not yet visible.
    pub fn wait(self) -> Result<(), StoreError> {
        match self.0 {
            None => Ok(()),
            Some(rx) => match rx.recv() {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(StoreError::Corrupt(e)),
                Err(_) => Err(StoreError::Corrupt("the click mover stopped".into())),
            },
        }
    }
}

/// One webhook delivery: `X-Shopify-Webhook-Id` and `X-Shopify-Topic`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: String,
    pub topic: String,
}

/// Where an order fact came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactSource {
    Webhook,
    /// Back-filled from imported orders.
    Import,
}

impl FactSource {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FactSource::Webhook => "webhook",
            FactSource::Import => "import",
        }
    }
}

/// An order as received, with what attribution reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFact {
    pub order_id: String,
    pub source: FactSource,
    pub placed_at: OffsetDateTime,
    pub currency: String,
    pub subtotal: Money,
    pub email: Option<String>,
    /// The shop's customer id, which is the person id of imported customers.
    pub customer_id: Option<String>,
    pub discount_codes: Vec<String>,
    /// The referral cookie's visitor id, from the landing URL or a note attribute.
    pub visitor: Option<String>,
    /// kith's `utm_content` code from the landing URL.
    pub landing_code: Option<ReferralCode>,
    /// A salted hash of the buyer's browser address.
    pub ip_hash: Option<String>,
}

/// A refund as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundFact {
    pub refund_id: String,
    pub order_id: String,
    /// The refunded line items' subtotal.
    pub subtotal: Money,
    pub refunded_at: OffsetDateTime,
}

/// What receiving an order or refund did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Receipt {
    /// The delivery, order or refund was seen before: nothing changed.
    Duplicate,
    /// A refund, or an order no member earns.
    Stored,
    /// An order attributed to a member.
    Attributed {
        code: ReferralCode,
        by: String,
        flags: Vec<FraudFlag>,
    },
}

/// Whether a conversion earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// No fraud flag: earns.
    Clean,
    /// Flagged: waits for a reviewer.
    Pending,
    /// Cleared by a reviewer: earns from then on.
    Approved,
    Rejected,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Clean => "clean",
            ReviewState::Pending => "pending",
            ReviewState::Approved => "approved",
            ReviewState::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewState> {
        [
            ReviewState::Clean,
            ReviewState::Pending,
            ReviewState::Approved,
            ReviewState::Rejected,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    pub fn earns(self) -> bool {
        matches!(self, ReviewState::Clean | ReviewState::Approved)
    }
}

/// An attributed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversion {
    pub order_id: String,
    pub member_id: i64,
    pub code: ReferralCode,
    pub program: String,
    pub person_id: String,
    pub attributed_by: String,
    pub currency: String,
    pub subtotal: Money,
    /// Refunded so far, at most the subtotal.
    pub refunded: Money,
    #[serde(with = "time::serde::rfc3339")]
    pub placed_at: OffsetDateTime,
    pub flags: Vec<FraudFlag>,
    pub review: ReviewState,
    /// The program's currency: what revenue and commission are counted in.
    pub program_currency: String,
    /// The subtotal in the program's currency, when the order came in another one and a
    /// rate was known; `None` in the program's own currency, or while no rate is known.
    pub converted_subtotal: Option<Money>,
    /// The rate it was converted at (`1.0850`, or `1/1.0850`).
    pub exchange_rate: Option<String>,
}

/// How many orders a back-fill read and what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BackfillReport {
    pub orders: u64,
    pub new: u64,
    pub attributed: u64,
    /// Attributed orders that waited for an exchange rate, converted at the one now in
    /// force.
    pub converted: u64,
}

/// A program's (or one member's) figures: the columns of `kith report roi`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoiRow {
    pub program: String,
    pub kind: ProgramKind,
    pub currency: String,
    /// For a member's row: their code and person id.
    pub code: Option<ReferralCode>,
    pub person_id: Option<String>,
    pub clicks: u64,
    pub unique_clicks: u64,
    pub orders: u64,
    /// Attributed subtotals, net of refunds.
    pub revenue: Money,
    /// Commission accrued net of clawbacks.
    pub commission: Money,
    /// Commission + fees + product seeding.
    pub cost: Money,
    pub roi: Option<f64>,
    /// Earned media value of the members' posts about the brand since the program began.
    pub emv: Money,
    /// Members' balances: pending, approved (unpaid), paid.
    pub pending: Money,
    pub approved: Money,
    pub paid: Money,
    /// Orders counted in `orders` that add nothing to revenue or commission because no
    /// exchange rate converts their currency to the program's, by their currency.
    pub unconverted: BTreeMap<String, u64>,
}

impl RoiRow {
    /// How many orders wait for an exchange rate, in all currencies.
    pub fn unconverted_orders(&self) -> u64 {
        self.unconverted.values().sum()
    }

    /// What to do about each currency of unconverted orders, one line per currency:
    /// `2 orders in EUR not counted in revenue: add "EUR/USD" to [exchange_rates] in
    /// brand.toml`.
    pub fn unconverted_notes(&self) -> Vec<String> {
        self.unconverted
            .iter()
            .map(|(currency, n)| {
                let orders = if *n == 1 { "order" } else { "orders" };
                format!(
                    "{n} {orders} in {currency} not counted in revenue: add \"{currency}/{}\" \
                     to [exchange_rates] in brand.toml",
                    self.currency
                )
            })
            .collect()
    }
}

/// One UTC day of a program: clicks on its members' links and the orders they brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayActivity {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub clicks: u64,
    pub orders: u64,
}

/// A payout batch: what each member was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayoutBatch {
    pub id: i64,
    pub program: String,
    pub currency: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub paid_at: Option<OffsetDateTime>,
    pub items: Vec<PayoutItem>,
}

impl PayoutBatch {
    /// The batch as PayPal Payouts lines: one per member, referenced `kith-{batch}-{member}`
    /// so a payment can be traced back to its batch and member.
    pub fn paypal_lines(&self) -> Vec<PayoutLine> {
        self.items
            .iter()
            .map(|i| PayoutLine {
                recipient: i.email.clone().unwrap_or_default(),
                amount: i.amount,
                currency: self.currency.clone(),
                reference: format!("kith-{}-{}", self.id, i.member_id),
                note: format!("{} commission ({})", self.program, i.code),
            })
            .collect()
    }

    /// The batch as the CSV file PayPal Payouts takes: what the CLI writes and the
    /// dashboard's payouts page downloads.
    pub fn paypal_csv(&self) -> Result<String, PayoutFileError> {
        paypal_csv(&self.paypal_lines())
    }

    /// What the batch pays in all.
    pub fn total(&self) -> Money {
        Money::from_minor(self.items.iter().map(|i| i.amount.minor()).sum())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayoutItem {
    pub member_id: i64,
    pub code: ReferralCode,
    pub person_id: String,
    pub email: Option<String>,
    pub amount: Money,
}

/// Content a program gives its members: a brief, a perk, or (advocacy) a post to share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Content {
    pub id: i64,
    pub program_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub url: Option<String>,
}

/// Counts for `kith status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProgramCounts {
    pub programs: u64,
    pub members: u64,
    pub clicks: u64,
    pub conversions: u64,
}

/// Everything a member may see of their own, across their programs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalView {
    pub person_id: String,
    pub name: Option<String>,
    pub memberships: Vec<Membership>,
}

/// One program a member belongs to, seen by the member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    pub member: Member,
    pub kind: ProgramKind,
    pub commission: Option<String>,
    pub content: Vec<Content>,
    pub figures: RoiRow,
    pub conversions: Vec<Conversion>,
    pub payouts: Vec<(i64, Money, bool)>,
    /// Advocacy: the member's own share links, one per library post.
    pub shares: Vec<ShareLink>,
    /// Advocacy: the member's place on the program's leaderboard.
    pub rank: Option<kith_core::program::leaderboard::Rank>,
    /// Activation: whether the member has checked in.
    pub checked_in: bool,
    /// Activation: when and where — never its event code, which attendees get there.
    pub event: Option<EventInfo>,
}

/// What a member is told of an activation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventInfo {
    pub date: Option<String>,
    pub place: Option<String>,
    pub region: Option<String>,
}
