//! GCP rules: instance service accounts and access scopes against project
//! IAM (GCP001-GCP007, GCP012 for the catalogue's workloads), and IAM policy checks (GCP008 and up). Every rule
//! reads the linked model in [`crate::model::gcp`].

mod condition_requires_v3;
mod default_sa_basic_role;
mod default_sa_full_scope;
mod default_service_account;
mod deleted_member;
mod invalid_policy_shape;
mod invalid_policy_version;
mod malformed_member;
mod public_member;
mod sa_missing_log_writer;
mod sa_missing_required_role;
mod sa_without_scopes;
mod scopes_block_iam_grant;
mod scopes_block_logging;
mod unknown_role;
mod unknown_scope;

pub use condition_requires_v3::ConditionRequiresV3;
pub use default_sa_basic_role::DefaultSaBasicRole;
pub use default_sa_full_scope::DefaultSaFullScope;
pub use default_service_account::DefaultServiceAccount;
pub use deleted_member::DeletedMember;
pub use invalid_policy_shape::InvalidPolicyShape;
pub use invalid_policy_version::InvalidPolicyVersion;
pub use malformed_member::MalformedMember;
pub use public_member::PublicMember;
pub use sa_missing_log_writer::SaMissingLogWriter;
pub use sa_missing_required_role::SaMissingRequiredRole;
pub use sa_without_scopes::SaWithoutScopes;
pub use scopes_block_iam_grant::ScopesBlockIamGrant;
pub use scopes_block_logging::ScopesBlockLogging;
pub use unknown_role::UnknownRole;
pub use unknown_scope::UnknownScope;
