//! Data from the AWS Service Authorization Reference that the data-backed
//! policy rules read: which condition keys exist, and which resource types
//! (ARN formats) each action takes. Both tables are embedded from `rules/`
//! and parsed per service on first use.

pub mod condition_keys;
mod lines;
pub mod resource_types;
