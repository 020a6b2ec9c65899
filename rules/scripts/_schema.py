"""A small JSON Schema (draft 2020-12) validator for the keywords the schemas under
rules/schemas/ use, so check.py stays standard-library only. A keyword it does not
implement is an error, never silently ignored. The Rust test suite validates every data
file with the full `jsonschema` crate as well.
"""

import re

ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment", "$defs", "examples"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def errors(schema, value):
    """Every error of `value` against `schema`, as "pointer: message" strings."""
    out = []
    _check(schema, schema, value, "", out)
    return out


def _resolve(root, ref):
    if not ref.startswith("#/"):
        raise ValueError(f"unsupported $ref {ref!r}")
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _check(root, schema, value, at, out):
    if schema is True:
        return
    if schema is False:
        out.append(f"{at or '/'}: not allowed")
        return
    for key, rule in schema.items():
        if key in ANNOTATIONS:
            continue
        check = KEYWORDS.get(key)
        if check is None:
            raise ValueError(f"schema keyword {key!r} is not implemented by _schema.py")
        check(root, schema, rule, value, at, out)


def _type(root, schema, rule, value, at, out):
    names = rule if isinstance(rule, list) else [rule]
    if not any(TYPES[n](value) for n in names):
        out.append(f"{at or '/'}: expected {rule}")


def _properties(root, schema, rule, value, at, out):
    if isinstance(value, dict):
        for k, sub in rule.items():
            if k in value:
                _check(root, sub, value[k], f"{at}/{k}", out)


def _required(root, schema, rule, value, at, out):
    if isinstance(value, dict):
        for k in rule:
            if k not in value:
                out.append(f"{at or '/'}: missing {k!r}")


def _additional(root, schema, rule, value, at, out):
    if isinstance(value, dict):
        known = set(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        for k, v in value.items():
            if k not in known and not any(p.search(k) for p in patterns):
                _check(root, rule, v, f"{at}/{k}", out)


def _pattern_properties(root, schema, rule, value, at, out):
    if isinstance(value, dict):
        for pattern, sub in rule.items():
            for k, v in value.items():
                if re.search(pattern, k):
                    _check(root, sub, v, f"{at}/{k}", out)


def _property_names(root, schema, rule, value, at, out):
    if isinstance(value, dict):
        for k in value:
            _check(root, rule, k, f"{at}/{k} (name)", out)


def _items(root, schema, rule, value, at, out):
    if isinstance(value, list):
        for i, v in enumerate(value):
            _check(root, rule, v, f"{at}/{i}", out)


def _bound(kind, test, message):
    def check(root, schema, rule, value, at, out):
        if isinstance(value, kind) and not test(len(value), rule):
            out.append(f"{at or '/'}: {message} {rule}")
    return check


def _unique(root, schema, rule, value, at, out):
    if rule and isinstance(value, list):
        seen = [repr(v) for v in value]
        if len(set(seen)) != len(seen):
            out.append(f"{at or '/'}: items are not unique")


def _enum(root, schema, rule, value, at, out):
    if value not in rule:
        out.append(f"{at or '/'}: {value!r} is not one of {rule}")


def _const(root, schema, rule, value, at, out):
    if value != rule:
        out.append(f"{at or '/'}: expected {rule!r}")


def _pattern(root, schema, rule, value, at, out):
    if isinstance(value, str) and not re.search(rule, value):
        out.append(f"{at or '/'}: {value!r} does not match {rule}")


def _minimum(root, schema, rule, value, at, out):
    if TYPES["number"](value) and value < rule:
        out.append(f"{at or '/'}: {value} < {rule}")


def _ref(root, schema, rule, value, at, out):
    _check(root, _resolve(root, rule), value, at, out)


KEYWORDS = {
    "type": _type,
    "properties": _properties,
    "required": _required,
    "additionalProperties": _additional,
    "patternProperties": _pattern_properties,
    "propertyNames": _property_names,
    "items": _items,
    "minItems": _bound(list, lambda n, r: n >= r, "fewer items than"),
    "maxItems": _bound(list, lambda n, r: n <= r, "more items than"),
    "minProperties": _bound(dict, lambda n, r: n >= r, "fewer properties than"),
    "minLength": _bound(str, lambda n, r: n >= r, "shorter than"),
    "uniqueItems": _unique,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minimum": _minimum,
    "$ref": _ref,
}
