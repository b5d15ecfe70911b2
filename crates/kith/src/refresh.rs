//! Keeping stored candidates in step with the data: scores are recomputed whenever the
//! store's data version moved since they were computed.

use anyhow::{Context, Result};
use kith_core::{BrandConfig, score_population};
use kith_store::Store;
use time::OffsetDateTime;

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

/// Saves `brand` when it differs from the stored one (which makes scores stale).
pub fn save_brand(store: &dyn Store, brand: &BrandConfig, text: &str) -> Result<()> {
    let current = store.brand()?.and_then(|t| BrandConfig::from_toml(&t).ok());
    if current.as_ref() != Some(brand) {
        store.set_brand(text)?;
    }
    Ok(())
}

/// Rescores when the data changed since the last scoring; returns whether it did.
pub fn refresh(store: &dyn Store) -> Result<bool> {
    let version = store.data_version()?;
    if store.scored_version()? == Some(version) {
        return Ok(false);
    }
    let brand = stored_brand(store)?;
    let bar = progress::spinner("scoring");
    let population = store
        .population()
        .context("cannot read the store for scoring")?;
    let candidates = score_population(&population, &brand, OffsetDateTime::now_utc());
    store
        .replace_candidates(&candidates, version)
        .context("cannot save the scores")?;
    bar.finish_and_clear();
    Ok(true)
}
