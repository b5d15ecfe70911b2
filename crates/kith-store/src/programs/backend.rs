//! The one implementation of [`ProgramStore`](super::ProgramStore) both backends share:
//! a macro, because each backend has its own `write`/`read` transaction helpers (private
//! to it) and the same shared function runs inside them for every method.

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

            fn shares(
                &self,
                program: &str,
            ) -> Result<Vec<$crate::programs::ShareLink>, $crate::programs::ProgramError> {
                self.read(|s, sql| Ok($crate::programs::shares_of(s, p(sql), program)))?
            }

            fn invite_region(
                &self,
                program: &str,
                now: time::OffsetDateTime,
            ) -> Result<$crate::programs::Invitation, $crate::programs::ProgramError> {
                self.write(|s, sql| $crate::programs::invite_region(s, p(sql), program, now))
            }

            fn attendance(
                &self,
                program: &str,
            ) -> Result<Vec<i64>, $crate::programs::ProgramError> {
                self.read(|s, sql| Ok($crate::programs::attendance(s, p(sql), program)))?
            }

            fn check_in_with_event_code(
                &self,
                person_id: &str,
                event_code: &str,
                now: time::OffsetDateTime,
            ) -> Result<(String, bool), $crate::programs::ProgramError> {
                self.write(|s, sql| {
                    $crate::programs::check_in_with_event_code(
                        s,
                        p(sql),
                        person_id,
                        event_code,
                        now,
                    )
                })
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

            fn convert_waiting_orders(
                &self,
                now: time::OffsetDateTime,
            ) -> Result<u64, $crate::StoreError> {
                self.write(|s, sql| $crate::programs::convert_waiting(s, p(sql), now))
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

            fn activity(
                &self,
                program: &str,
                now: time::OffsetDateTime,
            ) -> Result<Vec<$crate::programs::DayActivity>, $crate::programs::ProgramError> {
                self.read(|s, sql| Ok($crate::programs::activity(s, p(sql), program, now)))?
            }

            fn leaderboard(
                &self,
                program: &str,
                now: time::OffsetDateTime,
            ) -> Result<
                Vec<kith_core::program::leaderboard::Placed<i64>>,
                $crate::programs::ProgramError,
            > {
                self.read(|s, sql| Ok($crate::programs::leaderboard(s, p(sql), program, now)))?
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
