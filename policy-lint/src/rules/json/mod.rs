//! JSON-level rules: syntax, duplicate keys, unrecognised documents.

mod duplicate_key;
mod internal_error;
mod invalid_json;
mod unrecognized_document;

pub use duplicate_key::DuplicateKey;
pub use internal_error::InternalError;
pub use invalid_json::InvalidJson;
pub use unrecognized_document::UnrecognizedDocument;
