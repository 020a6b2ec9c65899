//! A fast "is this policy certainly valid?" check for AWS105's schemas.
//!
//! AWS105 validates every AWS policy against a JSON Schema with the
//! `jsonschema` crate, which needs a `serde_json::Value` copy of the policy;
//! building that copy was a tenth of the work on the 1,645 AWS managed
//! policies. The schemas use a handful of keywords (`type`, `enum`,
//! `properties`, `required`, `additionalProperties`, `items`, local `$ref`),
//! so [`Subset`] compiles them once and evaluates them on the spanned tree.
//! It answers "valid" only when every keyword holds; a schema with anything
//! else (another keyword, a non-string `enum`, a remote `$ref`) does not
//! compile, and the rule then always asks `jsonschema`, which gives the
//! findings. A test checks on every fixture that "valid" here implies valid
//! there.

use serde_json::Value as Schema;

use crate::json::{JsonType, Node};

/// A compiled schema: node 0 is the root.
#[derive(Debug)]
pub(crate) struct Subset {
    nodes: Vec<Check>,
}

/// One schema object.
#[derive(Debug, Default)]
struct Check {
    /// Allowed JSON types (bits of [`type_bit`]); `None`: any.
    types: Option<u8>,
    /// Allowed string values.
    one_of: Option<Vec<String>>,
    properties: Vec<(String, usize)>,
    required: Vec<String>,
    /// `None`: any extra member; `Some(None)`: none allowed.
    additional: Option<Option<usize>>,
    items: Option<usize>,
    /// `$ref`s, by index.
    refs: Vec<usize>,
}

const STRING: u8 = 1;
const NUMBER: u8 = 2;
const BOOLEAN: u8 = 4;
const NULL: u8 = 8;
const ARRAY: u8 = 16;
const OBJECT: u8 = 32;

fn type_bit(node: Node<'_>) -> u8 {
    match node.json_type() {
        JsonType::String => STRING,
        JsonType::Number => NUMBER,
        JsonType::Bool => BOOLEAN,
        JsonType::Null => NULL,
        JsonType::Array => ARRAY,
        JsonType::Object => OBJECT,
    }
}

impl Subset {
    /// Compiles `root`; `None` when it uses anything this module does not
    /// evaluate exactly.
    pub(crate) fn compile(root: &Schema) -> Option<Self> {
        let mut subset = Self { nodes: Vec::new() };
        let mut defs: Vec<(String, usize)> = Vec::new();
        subset.add(root, root, &mut defs)?;
        Some(subset)
    }

    fn add(
        &mut self,
        root: &Schema,
        schema: &Schema,
        defs: &mut Vec<(String, usize)>,
    ) -> Option<usize> {
        let id = self.nodes.len();
        self.nodes.push(Check::default());
        let mut check = Check::default();
        for (keyword, value) in schema.as_object()? {
            match keyword.as_str() {
                "$schema" | "$id" | "title" | "description" | "$defs" => {}
                "type" => {
                    let names: Vec<&Schema> = match value {
                        Schema::Array(list) => list.iter().collect(),
                        one => vec![one],
                    };
                    let mut bits = 0;
                    for name in names {
                        bits |= match name.as_str()? {
                            "string" => STRING,
                            "number" => NUMBER,
                            "boolean" => BOOLEAN,
                            "null" => NULL,
                            "array" => ARRAY,
                            "object" => OBJECT,
                            _ => return None,
                        };
                    }
                    check.types = Some(bits);
                }
                "enum" => {
                    let values = value.as_array()?.iter();
                    check.one_of = Some(
                        values
                            .map(|v| v.as_str().map(str::to_string))
                            .collect::<Option<_>>()?,
                    );
                }
                "properties" => {
                    for (key, s) in value.as_object()? {
                        let child = self.add(root, s, defs)?;
                        check.properties.push((key.clone(), child));
                    }
                }
                "required" => {
                    let keys = value.as_array()?.iter();
                    check.required = keys
                        .map(|k| k.as_str().map(str::to_string))
                        .collect::<Option<_>>()?;
                    // Met keys are counted in a 64-bit mask.
                    if check.required.len() > 64 {
                        return None;
                    }
                }
                "additionalProperties" => {
                    check.additional = Some(match value {
                        Schema::Bool(true) => return None,
                        Schema::Bool(false) => None,
                        s => Some(self.add(root, s, defs)?),
                    });
                }
                "items" => check.items = Some(self.add(root, value, defs)?),
                "$ref" => {
                    let name = value.as_str()?.strip_prefix("#/$defs/")?;
                    let known = defs.iter().find(|(n, _)| n == name).map(|(_, i)| *i);
                    let target = match known {
                        Some(i) => i,
                        None => {
                            let target = root.get("$defs")?.get(name)?;
                            // Registered before compiling, so a recursive
                            // reference finds it.
                            let i = self.nodes.len();
                            defs.push((name.to_string(), i));
                            self.add(root, target, defs)?
                        }
                    };
                    check.refs.push(target);
                }
                _ => return None,
            }
        }
        *self.nodes.get_mut(id)? = check;
        Some(id)
    }

    /// Whether `node` is certainly valid against the schema.
    pub(crate) fn certainly_valid(&self, node: Node<'_>) -> bool {
        self.valid(0, node)
    }

    fn valid(&self, id: usize, node: Node<'_>) -> bool {
        let Some(check) = self.nodes.get(id) else {
            return false;
        };
        if check.types.is_some_and(|bits| bits & type_bit(node) == 0) {
            return false;
        }
        if let Some(values) = &check.one_of
            && !node.as_str().is_some_and(|s| values.iter().any(|v| v == s))
        {
            return false;
        }
        if let Some(members) = node.as_object() {
            // One pass over the members. Every member is checked, duplicates
            // included: stricter than the last-wins copy `jsonschema` sees,
            // which is sound for a "certainly valid" answer.
            let mut required = 0u64;
            for m in members {
                let schema = match check.properties.iter().position(|(k, _)| m.key == *k) {
                    Some(i) => check.properties.get(i).map(|(_, s)| *s),
                    None => match check.additional {
                        None => continue,
                        Some(allowed) => allowed,
                    },
                };
                if !schema.is_some_and(|s| self.valid(s, m.value)) {
                    return false;
                }
                if let Some(i) = check.required.iter().position(|k| m.key == *k) {
                    required |= 1 << i;
                }
            }
            if required.count_ones() as usize != check.required.len() {
                return false;
            }
        }
        if let (Some(items), Some(list)) = (check.items, node.as_array())
            && !list.iter().all(|n| self.valid(items, n))
        {
            return false;
        }
        check.refs.iter().all(|r| self.valid(*r, node))
    }
}
