//! Every rule, one file each, grouped by family. [`ALL`] is the registry.

pub mod json;

use crate::registry::Rule;

/// Every rule policy-lint has, in code order. Adding a rule means adding it
/// here; the meta-tests check codes are unique and every rule has docs and
/// fixtures.
pub static ALL: &[&dyn Rule] = &[
    &json::InvalidJson,
    &json::DuplicateKey,
    &json::UnrecognizedDocument,
    &json::InternalError,
];
