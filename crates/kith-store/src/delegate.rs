//! The one implementation of [`Store`](crate::Store) both backends share: a macro, like
//! `impl_program_store!`, because each backend has its own `write`/`read` transaction
//! helpers (private to it) and the same function of `ops`, `reads`, `auth` or
//! `identity` runs inside them for every method.

/// Implements [`Store`](crate::Store) for a backend that has the usual `write` and `read`
/// transaction helpers: every method is one transaction around the shared function of
/// the same name. `$backend` names the [`Backend`](crate::Backend) variant, `$name` the
/// backend as tracing spans record it.
// rustfmt re-indents a multi-line attribute inside a macro on every run; keep it as is.
#[rustfmt::skip]
macro_rules! impl_store {
    ($store:ty, $backend:ident, $name:literal) => {
        // A block of its own, so the imports below serve the impl and nothing else.
        const _: () = {
            use kith_core::{
                Candidate, CandidateQuery, Order, Person, PersonSource, Platform, Population, Post,
                Profile, Record, Review, TierBands,
            };
            use time::OffsetDateTime;

            use $crate::auth::{self, ApiToken, Role, SessionUser, User};
            use $crate::ops;
            use $crate::reads::{self, Overview, PersonView, Refinement, ScatterPoint};
            use $crate::{
                Backend, ImportError, ImportReport, InputError, Status, Store, StoreError,
            };

            impl Store for $store {
                fn backend(&self) -> Backend {
                    Backend::$backend
                }

                #[tracing::instrument(name = "store.import", skip_all, fields(backend = $name))]
                fn import(
                    &self,
                    records: &mut dyn Iterator<Item = Result<Record, InputError>>,
                ) -> Result<ImportReport, ImportError> {
                    self.write(|s, sql| ops::import(s, sql, records))
                }

                fn status(&self) -> Result<Status, StoreError> {
                    self.read(ops::status)
                }

                fn programs(&self) -> &dyn crate::ProgramStore {
                    self
                }

                fn brand(&self) -> Result<Option<String>, StoreError> {
                    self.read(ops::brand)
                }

                fn set_brand(&self, toml: &str) -> Result<(), StoreError> {
                    self.write(|s, sql| ops::set_brand(s, sql, toml))
                }

                fn data_version(&self) -> Result<i64, StoreError> {
                    self.read(ops::data_version)
                }

                fn scored_version(&self) -> Result<Option<i64>, StoreError> {
                    self.read(ops::scored_version)
                }

                #[tracing::instrument(name = "store.population", skip_all, fields(backend = $name))]
                fn population(&self) -> Result<Population, StoreError> {
                    self.read(ops::population)
                }

                fn identity_inputs(&self) -> Result<crate::IdentityInputs, StoreError> {
                    self.read(crate::identity::inputs)
                }

                fn identity_summary(
                    &self,
                ) -> Result<Option<crate::IdentitySummary>, StoreError> {
                    self.read(crate::identity::summary)
                }

                fn save_identity_summary(
                    &self,
                    summary: &crate::IdentitySummary,
                ) -> Result<bool, StoreError> {
                    self.write(|s, sql| crate::identity::save_summary(s, sql, summary))
                }

                fn confirmations(
                    &self,
                ) -> Result<Vec<kith_core::identity::Confirmation>, StoreError> {
                    self.read(crate::identity::confirmations)
                }

                fn save_confirmations(
                    &self,
                    decisions: &[kith_core::identity::Confirmation],
                    decided_by: &str,
                ) -> Result<u64, StoreError> {
                    let now = OffsetDateTime::now_utc();
                    self.write(|s, sql| {
                        crate::identity::save_confirmations(s, sql, decisions, decided_by, now)
                    })
                }

                #[tracing::instrument(
                    name = "store.replace_candidates",
                    skip_all,
                    fields(backend = $name)
                )]
                fn replace_candidates(
                    &self,
                    candidates: &[Candidate],
                    data_version: i64,
                ) -> Result<(), StoreError> {
                    self.write(|s, sql| ops::replace_candidates(s, sql, candidates, data_version))
                }

                fn candidates(&self, query: &CandidateQuery) -> Result<Vec<Candidate>, StoreError> {
                    self.read(|s, sql| ops::candidates(s, sql, query, &Refinement::default()))
                }

                fn count_candidates(&self, query: &CandidateQuery) -> Result<u64, StoreError> {
                    self.read(|s, sql| ops::count_candidates(s, sql, query, &Refinement::default()))
                }

                fn refined_candidates(
                    &self,
                    query: &CandidateQuery,
                    refinement: &Refinement,
                ) -> Result<Vec<Candidate>, StoreError> {
                    self.read(|s, sql| ops::candidates(s, sql, query, refinement))
                }

                fn count_refined_candidates(
                    &self,
                    query: &CandidateQuery,
                    refinement: &Refinement,
                ) -> Result<u64, StoreError> {
                    self.read(|s, sql| ops::count_candidates(s, sql, query, refinement))
                }

                fn person(&self, id: &str) -> Result<Option<PersonView>, StoreError> {
                    self.read(|s, sql| reads::person(s, sql, id))
                }

                fn posts(
                    &self,
                    platform: Platform,
                    handle: &str,
                    limit: u32,
                ) -> Result<Vec<Post>, StoreError> {
                    self.read(|s, sql| reads::posts(s, sql, platform, handle, limit))
                }

                fn person_reviews(
                    &self,
                    person_id: &str,
                    limit: u32,
                ) -> Result<Vec<Review>, StoreError> {
                    self.read(|s, sql| reads::reviews(s, sql, person_id, limit))
                }

                fn person_orders(
                    &self,
                    person_id: &str,
                    limit: u32,
                ) -> Result<Vec<Order>, StoreError> {
                    self.read(|s, sql| reads::orders(s, sql, person_id, limit))
                }

                fn people(
                    &self,
                    source: Option<PersonSource>,
                    limit: u32,
                    offset: u64,
                ) -> Result<(Vec<Person>, u64), StoreError> {
                    self.read(|s, sql| reads::people(s, sql, source, limit, offset))
                }

                fn profiles(
                    &self,
                    platform: Option<Platform>,
                    limit: u32,
                    offset: u64,
                ) -> Result<(Vec<Profile>, u64), StoreError> {
                    self.read(|s, sql| reads::profiles(s, sql, platform, limit, offset))
                }

                fn scatter(&self, max_points: u32) -> Result<Vec<ScatterPoint>, StoreError> {
                    self.read(|s, sql| reads::scatter(s, sql, max_points))
                }

                fn overview(
                    &self,
                    tiers: &TierBands,
                    lover_sentiment: f64,
                ) -> Result<Overview, StoreError> {
                    self.read(|s, sql| reads::overview(s, sql, tiers, lover_sentiment))
                }

                fn create_user(
                    &self,
                    email: &str,
                    password_hash: &str,
                    role: Role,
                ) -> Result<Option<User>, StoreError> {
                    let now = OffsetDateTime::now_utc();
                    self.write(|s, sql| auth::create_user(s, sql, email, password_hash, role, now))
                }

                fn user_credentials(
                    &self,
                    email: &str,
                ) -> Result<Option<(User, String)>, StoreError> {
                    self.read(|s, sql| auth::user_credentials(s, sql, email))
                }

                fn users(&self) -> Result<Vec<User>, StoreError> {
                    self.read(auth::users)
                }

                fn set_user_role(&self, id: i64, role: Role) -> Result<bool, StoreError> {
                    self.write(|s, sql| auth::set_user_role(s, sql, id, role))
                }

                fn set_user_password(
                    &self,
                    id: i64,
                    password_hash: &str,
                ) -> Result<bool, StoreError> {
                    self.write(|s, sql| auth::set_user_password(s, sql, id, password_hash))
                }

                fn delete_user(&self, id: i64) -> Result<bool, StoreError> {
                    self.write(|s, sql| auth::delete_user(s, sql, id))
                }

                fn create_session(
                    &self,
                    token_hash: &str,
                    user_id: i64,
                    csrf_token: &str,
                    expires_at: OffsetDateTime,
                ) -> Result<(), StoreError> {
                    let now = OffsetDateTime::now_utc();
                    self.write(|s, sql| {
                        auth::create_session(
                            s, sql, token_hash, user_id, csrf_token, now, expires_at,
                        )
                    })
                }

                fn session(&self, token_hash: &str) -> Result<Option<SessionUser>, StoreError> {
                    let now = OffsetDateTime::now_utc();
                    self.read(|s, sql| auth::session(s, sql, token_hash, now))
                }

                fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
                    self.write(|s, sql| auth::delete_session(s, sql, token_hash))
                }

                fn create_api_token(
                    &self,
                    token: &ApiToken,
                    secret_hash: &str,
                ) -> Result<(), StoreError> {
                    self.write(|s, sql| auth::create_api_token(s, sql, token, secret_hash))
                }

                fn api_token(&self, id: &str) -> Result<Option<(ApiToken, String)>, StoreError> {
                    self.read(|s, sql| auth::api_token(s, sql, id))
                }

                fn api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
                    self.read(auth::api_tokens)
                }

                fn revoke_api_token(&self, id: &str) -> Result<bool, StoreError> {
                    let now = OffsetDateTime::now_utc();
                    self.write(|s, sql| auth::revoke_api_token(s, sql, id, now))
                }

                fn record_login_failure(
                    &self,
                    keys: &[&str],
                    forget_before: OffsetDateTime,
                ) -> Result<(), StoreError> {
                    let now = OffsetDateTime::now_utc();
                    self.write(|s, sql| {
                        auth::record_login_failure(s, sql, keys, now, forget_before)
                    })
                }

                fn login_failures_since(
                    &self,
                    key: &str,
                    since: OffsetDateTime,
                ) -> Result<u64, StoreError> {
                    self.read(|s, sql| auth::login_failures_since(s, sql, key, since))
                }

                fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
                    self.write(|s, sql| auth::clear_login_failures(s, sql, key))
                }
            }
        };
    };
}

pub(crate) use impl_store;
