//! AWS rules: the service chain (a service, the role it uses, the role's
//! trust and permissions), trust-policy hygiene and service principals.

mod chain;

mod broad_managed_policy;
mod deny_overrides_allow;
mod invalid_catalog_entry;
mod service_missing_permissions;
mod service_trust_principal;
mod service_trust_without_source_condition;
mod unknown_service_principal;

pub use broad_managed_policy::BroadManagedPolicy;
pub use deny_overrides_allow::DenyOverridesAllow;
pub use invalid_catalog_entry::InvalidCatalogEntry;
pub use service_missing_permissions::ServiceMissingPermissions;
pub use service_trust_principal::ServiceTrustPrincipal;
pub use service_trust_without_source_condition::ServiceTrustWithoutSourceCondition;
pub use unknown_service_principal::UnknownServicePrincipal;
