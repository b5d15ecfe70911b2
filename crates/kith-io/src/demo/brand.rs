//! The fictional demo brand: Ridgeline Coffee Co., a direct-to-consumer roaster from
//! Boulder, Colorado, selling coffee and camp-coffee gear to people who like the outdoors.
//!
//! Its `brand.toml` and its catalogue live side by side so that every product sold in the
//! orders, reviewed in the reviews and praised in the posts is one of the brand's
//! keywords. All names, handles and domains are invented; domains use the reserved
//! `.example` top-level domain.

/// The brand's handle on every platform, without `@`.
pub const HANDLE: &str = "ridgelinecoffee";
/// The name people write in captions.
pub const NAME_IN_TEXT: &str = "Ridgeline Coffee";
pub const HASHTAGS: &[&str] = &["#ridgelinecoffee", "#brewedoutside"];
pub const WEBSITE: &str = "https://ridgelinecoffee.example";
/// Where employees' work email lives.
pub const EMAIL_DOMAIN: &str = "ridgelinecoffee.example";
pub const CURRENCY: &str = "USD";

/// Rival roasters, with the handles people tag them by.
pub const COMPETITORS: &[(&str, &str)] = &[
    ("Peakside Roasters", "peaksideroasters"),
    ("Canyon Bean Co.", "canyonbeanco"),
    ("Driftwood Coffee", "driftwoodcoffee"),
];

/// Whether a product is something to drink or something to brew or drink it with; the
/// reviews talk about them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductKind {
    Coffee,
    Gear,
}

#[derive(Debug, Clone, Copy)]
pub struct Product {
    pub name: &'static str,
    /// Unit price in cents.
    pub price: i64,
    pub kind: ProductKind,
    /// How often it ends up in a basket, relative to the others.
    pub popularity: f64,
}

pub const PRODUCTS: &[Product] = &[
    Product {
        name: "Summit Blend",
        price: 1800,
        kind: ProductKind::Coffee,
        popularity: 30.0,
    },
    Product {
        name: "Basecamp Decaf",
        price: 1750,
        kind: ProductKind::Coffee,
        popularity: 8.0,
    },
    Product {
        name: "Switchback Espresso",
        price: 1950,
        kind: ProductKind::Coffee,
        popularity: 16.0,
    },
    Product {
        name: "Trailhead Cold Brew",
        price: 2400,
        kind: ProductKind::Coffee,
        popularity: 12.0,
    },
    Product {
        name: "Firelight Dark Roast",
        price: 1800,
        kind: ProductKind::Coffee,
        popularity: 14.0,
    },
    Product {
        name: "Alpine Pour-Over Kit",
        price: 4800,
        kind: ProductKind::Gear,
        popularity: 4.0,
    },
    Product {
        name: "Ridgeline Camp Mug",
        price: 3200,
        kind: ProductKind::Gear,
        popularity: 6.0,
    },
];

pub fn product_weights() -> Vec<f64> {
    PRODUCTS.iter().map(|p| p.popularity).collect()
}

/// The coffees only: what people post about with their morning cup.
pub fn coffee_indices() -> Vec<usize> {
    (0..PRODUCTS.len())
        .filter(|i| PRODUCTS[*i].kind == ProductKind::Coffee)
        .collect()
}

/// `brand.toml` exactly as written to disk. Kept as text, not serialised from a struct,
/// so it reads like a file a person wrote, comments included.
pub const BRAND_TOML: &str = r##"# Ridgeline Coffee Co. — the kith demo brand (fictional).
# A direct-to-consumer roaster from Boulder, Colorado: coffee and camp-coffee gear.
name = "Ridgeline Coffee Co."
currency = "USD"
website = "https://ridgelinecoffee.example"

# Terms that mark a post as being about the brand.
hashtags = ["#ridgelinecoffee", "#brewedoutside"]
keywords = [
  "Ridgeline Coffee",
  "Summit Blend",
  "Basecamp Decaf",
  "Switchback Espresso",
  "Trailhead Cold Brew",
  "Firelight Dark Roast",
  "Alpine Pour-Over Kit",
  "Ridgeline Camp Mug",
]
competitors = ["Peakside Roasters", "Canyon Bean Co.", "Driftwood Coffee"]

# The audiences the brand wants to reach.
target_categories = ["food & drink", "outdoors", "wellness", "travel"]

# Referral links may only send people here.
allowed_redirect_domains = ["ridgelinecoffee.example", "shop.ridgelinecoffee.example"]

[handles]
instagram = "@ridgelinecoffee"
tiktok = "@ridgelinecoffee"
youtube = "@ridgelinecoffee"
x = "@ridgelinecoffee"
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use kith_core::BrandConfig;

    #[test]
    fn brand_toml_parses_and_names_every_product_as_a_keyword() {
        let brand = BrandConfig::from_toml(BRAND_TOML).unwrap();
        assert_eq!(brand.currency.as_deref(), Some(CURRENCY));
        assert_eq!(brand.website.as_deref(), Some(WEBSITE));
        for p in PRODUCTS {
            assert!(brand.keywords.iter().any(|k| k == p.name), "{}", p.name);
        }
        assert!(brand.keywords.iter().any(|k| k == NAME_IN_TEXT));
        assert_eq!(brand.handles.all().collect::<Vec<_>>(), [HANDLE; 4]);
        assert_eq!(brand.hashtags, HASHTAGS);
        let competitors: Vec<&str> = COMPETITORS.iter().map(|c| c.0).collect();
        assert_eq!(brand.competitors, competitors);
    }
}
