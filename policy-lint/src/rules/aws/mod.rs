//! AWS policy rules.
//!
//! AWS1xx check the IAM policy grammar, per policy type (identity, trust,
//! resource); AWS2xx check actions against the vendored action list. Each
//! rule runs on every AWS policy document, nested and embedded ones included
//! (trust policies in `get-role` output, policy strings in Terraform plans).
//!
//! | code | IAM Access Analyzer issue code |
//! |---|---|
//! | AWS101 missing-version | `MISSING_VERSION` |
//! | AWS102 invalid-version | `INVALID_VERSION` |
//! | AWS103 missing-statement | `MISSING_STATEMENT` |
//! | AWS104 unknown-element | `INVALID_POLICY_ELEMENT` |
//! | AWS105 invalid-policy-shape | `DATA_TYPE_MISMATCH`, `INVALID_PRINCIPAL_KEY` |
//! | AWS106 invalid-effect | `MISSING_EFFECT`, `INVALID_EFFECT` |
//! | AWS107 action-xor-not-action | `MISSING_ACTION`, `UNSUPPORTED_ELEMENT_COMBINATION` |
//! | AWS108 resource-xor-not-resource | `MISSING_RESOURCE`, `UNSUPPORTED_ELEMENT_COMBINATION` |
//! | AWS109 resource-in-trust-policy | closest `INVALID_POLICY_ELEMENT`; IAM: "Has prohibited field Resource" |
//! | AWS110 principal-in-identity-policy | `UNSUPPORTED_PRINCIPAL` |
//! | AWS111 missing-principal | `MISSING_PRINCIPAL` |
//! | AWS112 malformed-action | `INVALID_ACTION`, `VARIABLE_UNSUPPORTED_IN_ELEMENT` |
//! | AWS113 malformed-arn | `INVALID_ARN_PREFIX`, `MISSING_ARN_FIELD`, `INVALID_PARTITION`, `INVALID_ARN_SERVICE_CASE`, `INVALID_ARN_REGION`, `INVALID_ARN_ACCOUNT`, `ARN_REGION_NOT_ALLOWED`, `ARN_ACCOUNT_NOT_ALLOWED`, `MISSING_ARN_REGION` |
//! | AWS114 duplicate-sid | `UNIQUE_SIDS_REQUIRED` |
//! | AWS115 invalid-sid | `UNSUPPORTED_SID` |
//! | AWS116 unknown-condition-operator | `INVALID_CONDITION_OPERATOR` |
//! | AWS117 null-with-if-exists | `NULL_WITH_IF_EXISTS` |
//! | AWS118 unsupported-wildcard-in-principal | `UNSUPPORTED_WILDCARD_IN_PRINCIPAL` |
//! | AWS119 principal-and-not-principal | `UNSUPPORTED_ELEMENT_COMBINATION` |
//! | AWS120 variable-in-old-version | `VARIABLE_UNSUPPORTED_IN_VERSION` |
//! | AWS121 empty-element-array | `EMPTY_ARRAY_ACTION`, `EMPTY_ARRAY_RESOURCE` |
//! | AWS122 condition-value-type | `TYPE_MISMATCH_DATE`, `TYPE_MISMATCH_NUMBER`, `TYPE_MISMATCH_BOOLEAN`, `TYPE_MISMATCH_IP_RANGE` |
//! | AWS123 wildcard-without-like-operator | `WILDCARD_WITHOUT_LIKE_OPERATOR` |
//! | AWS124 for-all-values-with-single-valued-key | `FORALLVALUES_WITH_SINGLE_VALUED_KEY` |
//! | AWS125 duplicate-condition-key-case | `DUPLICATE_KEYS_WITH_DIFFERENT_CASE` |
//! | AWS126 empty-sid | `EMPTY_SID_VALUE` |
//! | AWS127 principal-in-scp | `SCP_SYNTAX_ERROR_PRINCIPAL` |
//! | AWS201 unknown-service-prefix | `INVALID_SERVICE_IN_ACTION` |
//! | AWS202 unknown-action | `INVALID_ACTION` |
//! | AWS203 wildcard-matches-no-action | `INVALID_ACTION` |
//! | AWS204 unknown-condition-key | `INVALID_GLOBAL_CONDITION_KEY`, `INVALID_SERVICE_CONDITION_KEY` |
//! | AWS205 resource-type-mismatch | closest `INVALID_ARN_RESOURCE`; parliament `RESOURCE_MISMATCH` |
//!
//! AWS3xx are security checks: grants broader than intended, which IAM
//! accepts (AWS301 full-admin-access, AWS302 public-principal, AWS303
//! pass-role-star, AWS304 allow-with-not-principal `ALLOW_WITH_NOT_PRINCIPAL`,
//! AWS305 privilege-escalation, parliament's `PRIVILEGE_ESCALATION`).
//!
//! AWS001-AWS007 follow a service to the role it uses and check the role's
//! trust and effective permissions (the service chain), trust-policy hygiene
//! and service principals; AWS009 says when inputs define a role
//! differently (each definition is a chain of its own).

mod chain;
mod why_not;

mod action_xor_not_action;
mod allow_with_not_principal;
mod arn_format;
mod broad_managed_policy;
mod condition_value_type;
mod conditions;
mod conflicting_definitions;
mod deny_overrides_allow;
mod duplicate_condition_key_case;
mod duplicate_sid;
mod empty_element_array;
mod empty_sid;
mod for_all_values_with_single_valued_key;
mod full_admin_access;
mod invalid_catalog_entry;
mod invalid_effect;
mod invalid_policy_shape;
mod invalid_sid;
mod invalid_version;
mod malformed_action;
mod malformed_arn;
mod missing_principal;
mod missing_statement;
mod missing_version;
mod null_with_if_exists;
mod pass_role_star;
pub(crate) mod policy;
mod principal_and_not_principal;
mod principal_in_identity_policy;
mod principal_in_scp;
mod privilege_escalation;
mod public_principal;
mod resource_in_trust_policy;
mod resource_type_mismatch;
mod resource_xor_not_resource;
pub(crate) mod schema_subset;
mod service_missing_permissions;
mod service_trust_principal;
mod service_trust_without_source_condition;
mod unknown_action;
mod unknown_condition_key;
mod unknown_condition_operator;
mod unknown_element;
mod unknown_service_prefix;
mod unknown_service_principal;
mod unsupported_wildcard_in_principal;
mod variable_in_old_version;
mod wildcard_matches_no_action;
mod wildcard_without_like_operator;

pub use action_xor_not_action::ActionXorNotAction;
pub use allow_with_not_principal::AllowWithNotPrincipal;
pub use broad_managed_policy::BroadManagedPolicy;
pub use condition_value_type::ConditionValueType;
pub use conflicting_definitions::ConflictingDefinitions;
pub use deny_overrides_allow::DenyOverridesAllow;
pub use duplicate_condition_key_case::DuplicateConditionKeyCase;
pub use duplicate_sid::DuplicateSid;
pub use empty_element_array::EmptyElementArray;
pub use empty_sid::EmptySid;
pub use for_all_values_with_single_valued_key::ForAllValuesWithSingleValuedKey;
pub use full_admin_access::FullAdminAccess;
pub use invalid_catalog_entry::InvalidCatalogEntry;
pub use invalid_effect::InvalidEffect;
pub use invalid_policy_shape::InvalidPolicyShape;
pub use invalid_sid::InvalidSid;
pub use invalid_version::InvalidVersion;
pub use malformed_action::MalformedAction;
pub use malformed_arn::MalformedArn;
pub use missing_principal::MissingPrincipal;
pub use missing_statement::MissingStatement;
pub use missing_version::MissingVersion;
pub use null_with_if_exists::NullWithIfExists;
pub use pass_role_star::PassRoleStar;
pub use principal_and_not_principal::PrincipalAndNotPrincipal;
pub use principal_in_identity_policy::PrincipalInIdentityPolicy;
pub use principal_in_scp::PrincipalInScp;
pub use privilege_escalation::PrivilegeEscalation;
pub use public_principal::PublicPrincipal;
pub use resource_in_trust_policy::ResourceInTrustPolicy;
pub use resource_type_mismatch::ResourceTypeMismatch;
pub use resource_xor_not_resource::ResourceXorNotResource;
pub use service_missing_permissions::ServiceMissingPermissions;
pub use service_trust_principal::ServiceTrustPrincipal;
pub use service_trust_without_source_condition::ServiceTrustWithoutSourceCondition;
pub use unknown_action::UnknownAction;
pub use unknown_condition_key::UnknownConditionKey;
pub use unknown_condition_operator::UnknownConditionOperator;
pub use unknown_element::UnknownElement;
pub use unknown_service_prefix::UnknownServicePrefix;
pub use unknown_service_principal::UnknownServicePrincipal;
pub use unsupported_wildcard_in_principal::UnsupportedWildcardInPrincipal;
pub use variable_in_old_version::VariableInOldVersion;
pub use wildcard_matches_no_action::WildcardMatchesNoAction;
pub use wildcard_without_like_operator::WildcardWithoutLikeOperator;

#[cfg(test)]
mod tests {
    #[test]
    fn every_aws_rule_names_its_access_analyzer_issue_code() {
        for rule in crate::rules::ALL {
            let m = rule.meta();
            if m.family() != "AWS" || !(m.code.starts_with("AWS1") || m.code.starts_with("AWS2")) {
                continue;
            }
            let refs = m
                .docs
                .split("## References")
                .nth(1)
                .unwrap_or_else(|| panic!("{} has no References section", m.code));
            assert!(
                refs.contains("IAM Access Analyzer issue code"),
                "{} does not name its Access Analyzer issue code",
                m.code
            );
            assert!(
                refs.contains("https://docs.aws.amazon.com/"),
                "{} has no AWS documentation link",
                m.code
            );
        }
    }

    #[test]
    fn condition_operators_split() {
        use super::unknown_condition_operator::{is_operator, split_operator};
        assert_eq!(
            split_operator("ForAllValues:StringLikeIfExists"),
            ("ForAllValues:", "StringLike", true)
        );
        assert_eq!(
            split_operator("foranyvalue:stringequals"),
            ("foranyvalue:", "stringequals", false)
        );
        assert_eq!(split_operator("NullIfExists"), ("", "Null", true));
        assert_eq!(split_operator("IfExists"), ("", "IfExists", false));
        assert!(is_operator("stringequals"));
        assert!(!is_operator("StringEqual"));
    }

    #[test]
    fn did_you_mean_prefers_case_then_small_edits() {
        use super::policy::{STATEMENT, did_you_mean};
        assert_eq!(did_you_mean("effect", STATEMENT), Some("Effect"));
        assert_eq!(did_you_mean("Condtion", STATEMENT), Some("Condition"));
        assert_eq!(did_you_mean("Foo", STATEMENT), None);
    }
}
