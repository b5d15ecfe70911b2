//! Keeping stored candidates in step with the data: scores are recomputed whenever the
//! store's data version moved since they were computed.

use anyhow::{Context, Result};
use kith_core::BrandConfig;
use kith_store::Store;

use crate::progress;

/// The stored brand, or a nameless default when none was saved.
pub fn stored_brand(store: &dyn Store) -> Result<BrandConfig> {
    match store.brand()? {
        Some(text) => BrandConfig::from_toml(&text).context("the stored brand config is invalid"),
        None => Ok(BrandConfig::named("Your brand")),
    }
}

/// Reads a `brand.toml`, naming the file in any error.
pub fn read_brand(path: &std::path::Path) -> Result<(BrandConfig, String)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let brand = BrandConfig::from_toml(&text).with_context(|| format!("{}", path.display()))?;
    Ok((brand, text))
}

/// Saves `brand` when it differs from the stored one (which makes scores stale). A new
/// exchange rate converts, at that rate, the program orders that were waiting for it.
pub fn save_brand(store: &dyn Store, brand: &BrandConfig, text: &str) -> Result<()> {
    let current = store.brand()?.and_then(|t| BrandConfig::from_toml(&t).ok());
    if current.as_ref() != Some(brand) {
        store.set_brand(text)?;
        if current.is_none_or(|c| c.exchange_rates != brand.exchange_rates) {
            let converted = store
                .programs()
                .convert_waiting_orders(time::OffsetDateTime::now_utc())?;
            if converted > 0 {
                eprintln!(
                    "{converted} program orders that waited for an exchange rate were converted \
                     at the rates in brand.toml"
                );
            }
        }
    }
    Ok(())
}

/// Rescores when the data changed since the last scoring, with the same rule the server
/// uses after an upload (`kith_server::rescore`), so the two can never disagree.
pub fn refresh(store: &dyn Store) -> Result<()> {
    let bar = progress::spinner("scoring");
    let result = kith_server::rescore(store).map_err(|e| anyhow::anyhow!("{e}"));
    bar.finish_and_clear();
    result.context("cannot score the store")
}
