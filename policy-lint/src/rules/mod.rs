//! Every rule, one file each, grouped by family. [`ALL`] is the registry.

pub mod aws;
pub mod gcp;
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
    &aws::ServiceTrustPrincipal,
    &aws::ServiceMissingPermissions,
    &aws::DenyOverridesAllow,
    &aws::ServiceTrustWithoutSourceCondition,
    &aws::BroadManagedPolicy,
    &aws::UnknownServicePrincipal,
    &aws::InvalidCatalogEntry,
    &aws::MissingVersion,
    &aws::InvalidVersion,
    &aws::MissingStatement,
    &aws::UnknownElement,
    &aws::InvalidPolicyShape,
    &aws::InvalidEffect,
    &aws::ActionXorNotAction,
    &aws::ResourceXorNotResource,
    &aws::ResourceInTrustPolicy,
    &aws::PrincipalInIdentityPolicy,
    &aws::MissingPrincipal,
    &aws::MalformedAction,
    &aws::MalformedArn,
    &aws::DuplicateSid,
    &aws::InvalidSid,
    &aws::UnknownConditionOperator,
    &aws::NullWithIfExists,
    &aws::UnknownServicePrefix,
    &aws::UnknownAction,
    &aws::WildcardMatchesNoAction,
    &aws::UnknownConditionKey,
    &aws::ResourceTypeMismatch,
    &gcp::SaMissingLogWriter,
    &gcp::ScopesBlockIamGrant,
    &gcp::DefaultSaFullScope,
    &gcp::ScopesBlockLogging,
    &gcp::DefaultServiceAccount,
    &gcp::UnknownScope,
    &gcp::SaWithoutScopes,
    &gcp::MalformedMember,
    &gcp::DeletedMember,
    &gcp::ConditionRequiresV3,
    &gcp::DefaultSaBasicRole,
    &gcp::UnknownRole,
    &gcp::InvalidPolicyVersion,
    &gcp::PublicMember,
    &gcp::InvalidPolicyShape,
];
