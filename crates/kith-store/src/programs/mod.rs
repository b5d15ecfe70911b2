//! Programs and what they earn: members and their referral codes, clicks, orders and
//! refunds as received, attribution with fraud flags, payouts — behind one trait,
//! [`ProgramStore`], reached through [`crate::Store::programs`].
//!
//! The store keeps **facts** and derives everything else: the commission ledger is
//! rebuilt by replaying sales, refunds and payouts through kith-core's `Ledger`
//! ([`kith_core::program::replay`]), so it is exact by construction and the same however
//! webhooks arrived. Orders and refunds are idempotent by their ids, deliveries by the
//! webhook id.
//!
//! # Layout
//! - this file: the trait and the values it trades in;
//! - `sql`: every statement, rendered once per dialect;
//! - `members`: programs, enrolment and codes, links, secrets;
//! - `ingest`: orders and refunds in, attribution and fraud flags;
//! - `books`: the facts of a program read back, the ledger replayed, ROI and EMV,
//!   payout batches;
//! - `portal`: a member's own view and their sign-in.
//!
//! The backends (`sqlite/programs.rs`, `postgres/programs.rs`) run these in their
//! transactions and give the click writer a connection of its own ([`ClickLog`]).

mod books;
mod ingest;
mod members;
mod portal;
pub(crate) mod sql;

pub(crate) use books::{create_payout, mark_paid, payout_batches, roi};
pub(crate) use ingest::{backfill_orders, conversions, receive_order, receive_refund, review};
pub(crate) use members::{
    add_content, check_in, content, create_program, enroll, link, members, program, program_counts,
    programs, report_leak, secret, set_status,
};
pub(crate) use portal::{
    create_portal_token, end_portal_token, portal_password, portal_view, set_portal_password,
    use_portal_token,
};

use kith_core::Money;
use kith_core::program::attribution::FraudFlag;
use kith_core::program::code::ReferralCode;
use kith_core::program::commission::CommissionRule;
use kith_core::program::{MemberStatus, ProgramKind};
use serde::Serialize;
use time::OffsetDateTime;

use crate::StoreError;

/// A mistake in what was asked, or a failure of the storage.
#[derive(Debug, thiserror::Error)]
pub enum ProgramError {
    #[error("a program named {0:?} already exists")]
    NameTaken(String),
    #[error("no program is named {0:?}")]
    UnknownProgram(String),
    #[error("no person has the id {0:?}; import them first")]
    UnknownPerson(String),
    #[error("the code {0} is already taken")]
    CodeTaken(String),
    #[error("no member has the code {0}")]
    UnknownCode(String),
    #[error("a member who is {from} cannot become {to}")]
    BadTransition {
        from: &'static str,
        to: &'static str,
    },
    #[error("no order {0:?} was attributed")]
    UnknownConversion(String),
    #[error("no payout batch {0}")]
    UnknownBatch(i64),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

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
}

/// The click writer's own connection: each [`ClickLog::append`] is one transaction, and
/// returns only once the clicks are durable (flushed to disk), so the redirect can
/// answer after it and never lose an answered click.
pub trait ClickLog: Send {
    fn append(&mut self, clicks: &[NewClick]) -> Result<(), StoreError>;
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
    fn as_str(self) -> &'static str {
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
}

/// How many orders a back-fill read and what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BackfillReport {
    pub orders: u64,
    pub new: u64,
    pub attributed: u64,
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
}

/// What kith keeps about programs. Synchronous, like [`crate::Store`]: the server calls
/// it from `spawn_blocking` (or the click writer's own thread).
pub trait ProgramStore: Send + Sync {
    fn create_program(&self, new: &NewProgram) -> Result<Program, ProgramError>;
    fn programs(&self) -> Result<Vec<Program>, StoreError>;
    /// A program by name, whatever its case.
    fn program(&self, name: &str) -> Result<Option<Program>, StoreError>;

    /// Enrols people, all or none. Someone already in the program keeps their membership
    /// and code; everyone gets a code that no other member has.
    fn enroll(
        &self,
        program: &str,
        people: &[Enrolment],
        now: OffsetDateTime,
    ) -> Result<Vec<Member>, ProgramError>;
    fn set_status(
        &self,
        code: &ReferralCode,
        status: MemberStatus,
        now: OffsetDateTime,
    ) -> Result<Member, ProgramError>;
    /// Marks a code as leaked: its later orders wait for review.
    fn report_leak(&self, code: &ReferralCode, now: OffsetDateTime)
    -> Result<Member, ProgramError>;
    /// Members of one program (by name) or of all, by program then code.
    fn members(&self, program: Option<&str>) -> Result<Vec<Member>, ProgramError>;
    /// The link behind a code, unless the member was removed.
    fn link(&self, code: &ReferralCode) -> Result<Option<Link>, StoreError>;

    fn add_content(
        &self,
        program: &str,
        kind: &str,
        title: &str,
        body: &str,
        url: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<Content, ProgramError>;
    fn content(&self, program: &str) -> Result<Vec<Content>, ProgramError>;
    /// Checks a member in at an activation; `false` if they already were.
    fn check_in(&self, code: &ReferralCode, now: OffsetDateTime) -> Result<bool, ProgramError>;

    /// The stored secret `name`, storing `fresh` first if there is none yet.
    fn secret(&self, name: &str, fresh: &str) -> Result<String, StoreError>;

    /// A connection of its own for the click writer.
    fn click_log(&self) -> Result<Box<dyn ClickLog>, StoreError>;

    /// Stores an order once (by delivery id and by order id) and attributes it.
    fn receive_order(
        &self,
        delivery: Option<&Delivery>,
        order: &OrderFact,
        now: OffsetDateTime,
    ) -> Result<Receipt, StoreError>;
    /// Stores a refund once (by delivery id and by refund id).
    fn receive_refund(
        &self,
        delivery: Option<&Delivery>,
        refund: &RefundFact,
        now: OffsetDateTime,
    ) -> Result<Receipt, StoreError>;
    /// Runs the imported orders (`kith import orders`) through the same attribution.
    fn backfill_orders(&self, now: OffsetDateTime) -> Result<BackfillReport, StoreError>;
    fn conversions(
        &self,
        program: Option<&str>,
        review: Option<ReviewState>,
    ) -> Result<Vec<Conversion>, ProgramError>;
    /// Clears (approve) or rejects a flagged conversion.
    fn review(
        &self,
        order_id: &str,
        approve: bool,
        now: OffsetDateTime,
    ) -> Result<Conversion, ProgramError>;

    /// ROI per program (or per member of each program), as of `now`.
    fn roi(
        &self,
        program: Option<&str>,
        by_member: bool,
        now: OffsetDateTime,
    ) -> Result<Vec<RoiRow>, ProgramError>;
    /// Pays every member of the program their approved balance; `None` when no one is owed.
    fn create_payout(
        &self,
        program: &str,
        now: OffsetDateTime,
    ) -> Result<Option<PayoutBatch>, ProgramError>;
    fn payout_batches(&self, program: Option<&str>) -> Result<Vec<PayoutBatch>, ProgramError>;
    fn mark_paid(&self, batch: i64, now: OffsetDateTime) -> Result<PayoutBatch, ProgramError>;

    /// Everything the person may see in their portal; `None` if they are in no program.
    fn portal_view(
        &self,
        person_id: &str,
        now: OffsetDateTime,
    ) -> Result<Option<PortalView>, ProgramError>;
    /// Stores a portal token (a magic link or a session) by the hash of its secret.
    fn create_portal_token(
        &self,
        token_hash: &str,
        person_id: &str,
        purpose: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// The person behind a live token. A magic link (`link`) is used up by this call.
    fn use_portal_token(
        &self,
        token_hash: &str,
        purpose: &str,
        now: OffsetDateTime,
    ) -> Result<Option<String>, StoreError>;
    /// Ends a portal token (signing out) at `now`.
    fn end_portal_token(&self, token_hash: &str, now: OffsetDateTime) -> Result<(), StoreError>;
    fn set_portal_password(
        &self,
        person_id: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// The person with this email who is a member, and their password hash if they set one.
    fn portal_password(&self, email: &str) -> Result<Option<(String, Option<String>)>, StoreError>;
}

/// Implements [`ProgramStore`] for a backend that has the usual `write` and `read`
/// transaction helpers, a `sql: Statements` field and an `open_click_log` method: every
/// method is one transaction around the shared function of the same name.
macro_rules! impl_program_store {
    ($store:ty) => {
        impl $crate::programs::ProgramStore for $store {
            fn create_program(
                &self,
                new: &$crate::programs::NewProgram,
            ) -> Result<$crate::programs::Program, $crate::programs::ProgramError> {
                let now = time::OffsetDateTime::now_utc();
                self.write(|s, sql| $crate::programs::create_program(s, p(sql), new, now))
            }

            fn programs(&self) -> Result<Vec<$crate::programs::Program>, $crate::StoreError> {
                self.read(|s, sql| $crate::programs::programs(s, p(sql)))
            }

            fn program(
                &self,
                name: &str,
            ) -> Result<Option<$crate::programs::Program>, $crate::StoreError> {
                self.read(|s, sql| $crate::programs::program(s, p(sql), name))
            }

            fn enroll(
                &self,
                program: &str,
                people: &[$crate::programs::Enrolment],
                now: time::OffsetDateTime,
            ) -> Result<Vec<$crate::programs::Member>, $crate::programs::ProgramError> {
                self.write(|s, sql| $crate::programs::enroll(s, p(sql), program, people, now))
            }

            fn set_status(
                &self,
                code: &kith_core::program::code::ReferralCode,
                status: kith_core::program::MemberStatus,
                now: time::OffsetDateTime,
            ) -> Result<$crate::programs::Member, $crate::programs::ProgramError> {
                self.write(|s, sql| $crate::programs::set_status(s, p(sql), code, status, now))
            }

            fn report_leak(
                &self,
                code: &kith_core::program::code::ReferralCode,
                now: time::OffsetDateTime,
            ) -> Result<$crate::programs::Member, $crate::programs::ProgramError> {
                self.write(|s, sql| $crate::programs::report_leak(s, p(sql), code, now))
            }

            fn members(
                &self,
                program: Option<&str>,
            ) -> Result<Vec<$crate::programs::Member>, $crate::programs::ProgramError> {
                self.read(|s, sql| Ok($crate::programs::members(s, p(sql), program)))?
            }

            fn link(
                &self,
                code: &kith_core::program::code::ReferralCode,
            ) -> Result<Option<$crate::programs::Link>, $crate::StoreError> {
                self.read(|s, sql| $crate::programs::link(s, p(sql), code))
            }

            fn add_content(
                &self,
                program: &str,
                kind: &str,
                title: &str,
                body: &str,
                url: Option<&str>,
                now: time::OffsetDateTime,
            ) -> Result<$crate::programs::Content, $crate::programs::ProgramError> {
                self.write(|s, sql| {
                    $crate::programs::add_content(s, p(sql), program, kind, title, body, url, now)
                })
            }

            fn content(
                &self,
                program: &str,
            ) -> Result<Vec<$crate::programs::Content>, $crate::programs::ProgramError> {
                self.read(|s, sql| Ok($crate::programs::content(s, p(sql), program)))?
            }

            fn check_in(
                &self,
                code: &kith_core::program::code::ReferralCode,
                now: time::OffsetDateTime,
            ) -> Result<bool, $crate::programs::ProgramError> {
                self.write(|s, sql| $crate::programs::check_in(s, p(sql), code, now))
            }

            fn secret(&self, name: &str, fresh: &str) -> Result<String, $crate::StoreError> {
                self.write(|s, sql| $crate::programs::secret(s, p(sql), name, fresh))
            }

            fn click_log(&self) -> Result<Box<dyn $crate::programs::ClickLog>, $crate::StoreError> {
                self.open_click_log()
            }

            fn receive_order(
                &self,
                delivery: Option<&$crate::programs::Delivery>,
                order: &$crate::programs::OrderFact,
                now: time::OffsetDateTime,
            ) -> Result<$crate::programs::Receipt, $crate::StoreError> {
                self.write(|s, sql| {
                    $crate::programs::receive_order(s, p(sql), delivery, order, now)
                })
            }

            fn receive_refund(
                &self,
                delivery: Option<&$crate::programs::Delivery>,
                refund: &$crate::programs::RefundFact,
                now: time::OffsetDateTime,
            ) -> Result<$crate::programs::Receipt, $crate::StoreError> {
                self.write(|s, sql| {
                    $crate::programs::receive_refund(s, p(sql), delivery, refund, now)
                })
            }

            fn backfill_orders(
                &self,
                now: time::OffsetDateTime,
            ) -> Result<$crate::programs::BackfillReport, $crate::StoreError> {
                self.write(|s, sql| $crate::programs::backfill_orders(s, p(sql), now))
            }

            fn conversions(
                &self,
                program: Option<&str>,
                review: Option<$crate::programs::ReviewState>,
            ) -> Result<Vec<$crate::programs::Conversion>, $crate::programs::ProgramError> {
                self.read(|s, sql| Ok($crate::programs::conversions(s, p(sql), program, review)))?
            }

            fn review(
                &self,
                order_id: &str,
                approve: bool,
                now: time::OffsetDateTime,
            ) -> Result<$crate::programs::Conversion, $crate::programs::ProgramError> {
                self.write(|s, sql| $crate::programs::review(s, p(sql), order_id, approve, now))
            }

            fn roi(
                &self,
                program: Option<&str>,
                by_member: bool,
                now: time::OffsetDateTime,
            ) -> Result<Vec<$crate::programs::RoiRow>, $crate::programs::ProgramError> {
                self.read(|s, sql| Ok($crate::programs::roi(s, p(sql), program, by_member, now)))?
            }

            fn create_payout(
                &self,
                program: &str,
                now: time::OffsetDateTime,
            ) -> Result<Option<$crate::programs::PayoutBatch>, $crate::programs::ProgramError> {
                self.write(|s, sql| $crate::programs::create_payout(s, p(sql), program, now))
            }

            fn payout_batches(
                &self,
                program: Option<&str>,
            ) -> Result<Vec<$crate::programs::PayoutBatch>, $crate::programs::ProgramError> {
                self.read(|s, sql| Ok($crate::programs::payout_batches(s, p(sql), program)))?
            }

            fn mark_paid(
                &self,
                batch: i64,
                now: time::OffsetDateTime,
            ) -> Result<$crate::programs::PayoutBatch, $crate::programs::ProgramError> {
                self.write(|s, sql| $crate::programs::mark_paid(s, p(sql), batch, now))
            }

            fn portal_view(
                &self,
                person_id: &str,
                now: time::OffsetDateTime,
            ) -> Result<Option<$crate::programs::PortalView>, $crate::programs::ProgramError> {
                self.read(|s, sql| Ok($crate::programs::portal_view(s, p(sql), person_id, now)))?
            }

            fn create_portal_token(
                &self,
                token_hash: &str,
                person_id: &str,
                purpose: &str,
                now: time::OffsetDateTime,
                expires_at: time::OffsetDateTime,
            ) -> Result<(), $crate::StoreError> {
                self.write(|s, sql| {
                    $crate::programs::create_portal_token(
                        s,
                        p(sql),
                        token_hash,
                        person_id,
                        purpose,
                        now,
                        expires_at,
                    )
                })
            }

            fn use_portal_token(
                &self,
                token_hash: &str,
                purpose: &str,
                now: time::OffsetDateTime,
            ) -> Result<Option<String>, $crate::StoreError> {
                self.write(|s, sql| {
                    $crate::programs::use_portal_token(s, p(sql), token_hash, purpose, now)
                })
            }

            fn end_portal_token(
                &self,
                token_hash: &str,
                now: time::OffsetDateTime,
            ) -> Result<(), $crate::StoreError> {
                self.write(|s, sql| $crate::programs::end_portal_token(s, p(sql), token_hash, now))
            }

            fn set_portal_password(
                &self,
                person_id: &str,
                password_hash: &str,
                now: time::OffsetDateTime,
            ) -> Result<(), $crate::StoreError> {
                self.write(|s, sql| {
                    $crate::programs::set_portal_password(s, p(sql), person_id, password_hash, now)
                })
            }

            fn portal_password(
                &self,
                email: &str,
            ) -> Result<Option<(String, Option<String>)>, $crate::StoreError> {
                self.read(|s, sql| $crate::programs::portal_password(s, p(sql), email))
            }
        }

        /// The programs statements of the store's dialect.
        fn p(sql: &$crate::sql::Statements) -> &'static $crate::programs::sql::ProgramSql {
            $crate::programs::sql::statements(sql.dialect)
        }
    };
}
pub(crate) use impl_program_store;
