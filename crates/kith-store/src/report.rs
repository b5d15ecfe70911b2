//! The ROI report's row as JSON: what `kith report roi --format json` prints and what
//! `/api/v1/programs` answers, defined once so the two can never disagree.
//!
//! Keys, in order: `program, clicks, unique_clicks, orders, revenue, commission, cost,
//! roi, emv` (the CLI's contract), then `currency, kind, industry_roi, pending,
//! approved, paid`, `code, person_id` on member rows only, then `unconverted_orders`.

use kith_core::program::emv::INDUSTRY_ROI;
use serde::Serialize;

use crate::programs::RoiRow;

/// A program's (or a member's) figures. Money is a decimal string in `currency`; `roi`
/// is revenue per 1 of cost with two decimals, null when nothing was spent; `emv` is
/// reported beside revenue, never in it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportRow {
    pub program: String,
    pub clicks: u64,
    pub unique_clicks: u64,
    pub orders: u64,
    pub revenue: String,
    pub commission: String,
    pub cost: String,
    pub roi: Option<f64>,
    pub emv: String,
    pub currency: String,
    /// `ambassador`, `affiliate`, `advocacy` or `activation`.
    pub kind: &'static str,
    pub industry_roi: f64,
    pub pending: String,
    pub approved: String,
    pub paid: String,
    /// A member's row: their referral code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A member's row: the person they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// Orders counted in `orders` whose currency no exchange rate in brand.toml converts
    /// to `currency`: they add nothing to revenue or commission.
    pub unconverted_orders: u64,
}

impl From<&RoiRow> for ReportRow {
    fn from(r: &RoiRow) -> Self {
        ReportRow {
            program: r.program.clone(),
            clicks: r.clicks,
            unique_clicks: r.unique_clicks,
            orders: r.orders,
            revenue: r.revenue.to_string(),
            commission: r.commission.to_string(),
            cost: r.cost.to_string(),
            roi: r
                .roi
                .filter(|x| x.is_finite())
                .map(|x| (x * 100.0).round() / 100.0),
            emv: r.emv.to_string(),
            currency: r.currency.clone(),
            kind: r.kind.as_str(),
            industry_roi: INDUSTRY_ROI,
            pending: r.pending.to_string(),
            approved: r.approved.to_string(),
            paid: r.paid.to_string(),
            code: r.code.as_ref().map(|c| c.as_str().to_owned()),
            person_id: r.person_id.clone(),
            unconverted_orders: r.unconverted_orders(),
        }
    }
}
