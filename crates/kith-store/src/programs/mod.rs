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
//! - this file: the trait; `values`: what it trades in; `backend`: its implementation
//!   for both backends;
//! - `sql`: every statement, rendered once per dialect;
//! - `members`: programs, enrolment and codes, links, secrets;
//! - `shares`: advocacy share links, one per (member, library post);
//! - `events`: activations' event codes, capacity, region invitations, check-ins;
//! - `ingest`: orders and refunds in, attribution and fraud flags; `exchange`: orders
//!   in another currency than their program's, converted and the rate stored;
//! - `books`: the facts of a program read back, the ledger replayed, ROI and EMV,
//!   payout batches; `activity`: clicks and orders by day;
//! - `portal`: a member's own view and their sign-in;
//! - `journal`: the click journal that makes the SQLite click log's batches durable.
//!
//! The backends (`sqlite/programs.rs`, `postgres/programs.rs`) run these in their
//! transactions and give the click writer a connection of its own ([`ClickLog`]).

mod activity;
mod backend;
mod books;
mod events;
mod exchange;
mod ingest;
pub(crate) mod journal;
mod members;
mod portal;
mod shares;
pub(crate) mod sql;
mod values;

pub(crate) use backend::impl_program_store;
pub use values::*;

pub(crate) use activity::activity;
pub(crate) use books::{create_payout, leaderboard, mark_paid, payout_batches, roi};
pub(crate) use events::{attendance, check_in_with_event_code, invite_region};
pub(crate) use exchange::convert_waiting;
pub(crate) use ingest::{backfill_orders, conversions, receive_order, receive_refund, review};
pub(crate) use members::{
    add_content, check_in, content, create_program, enroll, link, members, program, program_counts,
    programs, report_leak, secret, set_status,
};
pub(crate) use portal::{
    create_portal_token, end_portal_token, portal_password, portal_view, set_portal_password,
    use_portal_token,
};
pub(crate) use shares::shares_of;

use kith_core::program::MemberStatus;
use kith_core::program::code::ReferralCode;
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
    Full(#[from] kith_core::program::activation::Full),
    #[error("no activation has the event code {0}")]
    UnknownEventCode(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
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
    /// Every advocacy share link of a program (by name), with its clicks.
    fn shares(&self, program: &str) -> Result<Vec<ShareLink>, ProgramError>;
    /// Invites the people of an activation's region who are not members yet, as many as
    /// it has places, best customers first.
    fn invite_region(&self, program: &str, now: OffsetDateTime)
    -> Result<Invitation, ProgramError>;
    /// The ids of the members of a program who have checked in.
    fn attendance(&self, program: &str) -> Result<Vec<i64>, ProgramError>;
    /// A member checks in with the event's code: the activation's name, and whether it
    /// was their first check-in.
    fn check_in_with_event_code(
        &self,
        person_id: &str,
        event_code: &str,
        now: OffsetDateTime,
    ) -> Result<(String, bool), ProgramError>;
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
    /// Runs the imported orders (`kith import orders`) through the same attribution,
    /// then converts the orders waiting for an exchange rate
    /// ([`ProgramStore::convert_waiting_orders`]).
    fn backfill_orders(&self, now: OffsetDateTime) -> Result<BackfillReport, StoreError>;
    /// Converts the attributed orders that wait for an exchange rate at the brand's rates
    /// now in force, storing amount and rate; they earn from `now`. Returns how many. Call
    /// it after saving a brand whose `[exchange_rates]` changed.
    fn convert_waiting_orders(&self, now: OffsetDateTime) -> Result<u64, StoreError>;
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
    /// Clicks and orders of a program (by name) per UTC day, oldest first; days with
    /// neither are left out. Orders are those the ROI report counts as of `now`.
    fn activity(
        &self,
        program: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<DayActivity>, ProgramError>;
    /// The advocacy leaderboard of a program (by name) as of `now`: member ids placed by
    /// clicks, then orders (kith-core's `leaderboard::rank`); removed members are off it.
    fn leaderboard(
        &self,
        program: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<kith_core::program::leaderboard::Placed<i64>>, ProgramError>;
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
