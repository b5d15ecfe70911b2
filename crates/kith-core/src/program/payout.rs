//! Payout files: what a brand uploads to PayPal Payouts to pay a batch of members.
//!
//! PayPal's Payouts Web takes a CSV file without a header, one payment per row:
//! recipient (the PayPal account's email), amount, currency (ISO 4217, one currency per
//! file), an optional customer id that identifies the payment in the brand's books, an
//! optional note shown to the recipient, and the wallet (`PAYPAL`). Amounts use a dot
//! (`5.45`); at most 5,000 rows per file.

use std::fmt::Write as _;

use crate::money::Money;

/// The most rows PayPal accepts in one file.
pub const PAYPAL_MAX_ROWS: usize = 5_000;

/// One payment of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutLine {
    /// The member's PayPal email.
    pub recipient: String,
    pub amount: Money,
    pub currency: String,
    /// Unique within the brand's payouts, e.g. `batch-3-member-12`.
    pub reference: String,
    pub note: String,
}

/// Why a batch cannot be written as one PayPal file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayoutFileError {
    #[error("a PayPal payout file holds one currency; this batch has {0} and {1}")]
    MixedCurrencies(String, String),
    #[error("a PayPal payout file holds at most {PAYPAL_MAX_ROWS} payments; this batch has {0}")]
    TooManyRows(usize),
    #[error("{0:?} is not an amount PayPal can pay (it must be positive)")]
    NotPositive(String),
    #[error("member {0:?} has no email to pay")]
    NoRecipient(String),
}

/// A CSV field, quoted when it must be, and never read as a spreadsheet formula.
fn field(text: &str) -> String {
    let mut t = text.replace(['\r', '\n'], " ");
    if t.starts_with(['=', '+', '-', '@']) {
        t.insert(0, '\'');
    }
    if t.contains([',', '"']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t
    }
}

/// The batch as a PayPal Payouts CSV file.
pub fn paypal_csv(lines: &[PayoutLine]) -> Result<String, PayoutFileError> {
    if lines.len() > PAYPAL_MAX_ROWS {
        return Err(PayoutFileError::TooManyRows(lines.len()));
    }
    let mut out = String::new();
    for line in lines {
        if let Some(first) = lines.first()
            && first.currency != line.currency
        {
            return Err(PayoutFileError::MixedCurrencies(
                first.currency.clone(),
                line.currency.clone(),
            ));
        }
        if line.amount.minor() <= 0 {
            return Err(PayoutFileError::NotPositive(line.amount.to_string()));
        }
        if line.recipient.trim().is_empty() {
            return Err(PayoutFileError::NoRecipient(line.reference.clone()));
        }
        let _ = writeln!(
            out,
            "{},{},{},{},{},PAYPAL",
            field(line.recipient.trim()),
            line.amount,
            field(&line.currency),
            field(&line.reference),
            field(&line.note),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(recipient: &str, cents: i64, note: &str) -> PayoutLine {
        PayoutLine {
            recipient: recipient.into(),
            amount: Money::from_minor(cents),
            currency: "USD".into(),
            reference: "batch-1-member-7".into(),
            note: note.into(),
        }
    }

    #[test]
    fn rows_follow_paypals_column_order_without_a_header() {
        let csv = paypal_csv(&[
            line("maya@example.com", 1_234, "Commission"),
            line("leo@example.com", 5, "Thanks, \"Leo\""),
        ])
        .unwrap();
        assert_eq!(
            csv,
            "maya@example.com,12.34,USD,batch-1-member-7,Commission,PAYPAL\n\
             leo@example.com,0.05,USD,batch-1-member-7,\"Thanks, \"\"Leo\"\"\",PAYPAL\n"
        );
    }

    #[test]
    fn a_file_refuses_mixed_currencies_and_amounts_that_pay_nothing() {
        let mut eur = line("a@example.com", 100, "");
        eur.currency = "EUR".into();
        assert!(matches!(
            paypal_csv(&[line("b@example.com", 100, ""), eur]),
            Err(PayoutFileError::MixedCurrencies(..))
        ));
        assert!(paypal_csv(&[line("b@example.com", 0, "")]).is_err());
        assert!(paypal_csv(&[line(" ", 100, "")]).is_err());
    }

    #[test]
    fn notes_cannot_become_spreadsheet_formulas() {
        let csv = paypal_csv(&[line("a@example.com", 100, "=HYPERLINK(\"x\")")]).unwrap();
        assert!(csv.contains(",\"'=HYPERLINK(\"\"x\"\")\",PAYPAL"), "{csv}");
    }
}
