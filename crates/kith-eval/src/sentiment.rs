//! Brand sentiment on the airline tweets (being written).

use std::path::Path;

use crate::{EvalError, Section};

pub fn evaluate(_data: &Path) -> Result<Vec<Section>, EvalError> {
    Ok(Vec::new())
}
