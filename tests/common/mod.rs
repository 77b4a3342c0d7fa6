//! Helpers shared by the integration tests.

use sgsearch::search::plan::Filters;
use sgsearch::search::Engine;

/// Every `mentions` row of `query` (no filters), as JSON, in output order.
pub fn mention_rows(engine: &Engine, query: &str, context: usize) -> Vec<String> {
    let mut out = Vec::new();
    engine
        .mentions(query, &Filters::default(), context, None, &mut |m| {
            out.push(serde_json::to_string(m).unwrap());
            Ok(true)
        })
        .unwrap();
    out
}
