//! The line-per-entry layout of the generated files under `rules/`: a big
//! top-level map has one `"key":value` entry per line, so building an index
//! only splits lines, and an entry is parsed the first time a rule asks for
//! it. A one-file run pays for the entries it names, not for the whole file.

use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use crate::hash::HashMap;

/// The entries of one expanded top-level map, parsed on first use.
#[derive(Debug)]
pub(crate) struct LazyMap<T> {
    entries: HashMap<Box<str>, (&'static str, OnceLock<Option<T>>)>,
}

impl<T> Default for LazyMap<T> {
    fn default() -> Self {
        Self {
            entries: HashMap::default(),
        }
    }
}

impl<T: DeserializeOwned> LazyMap<T> {
    /// Indexes the entries of the top-level map `section` of `text`, under
    /// their keys in lowercase. Text in another layout gives an empty map,
    /// which the data tests catch.
    pub(crate) fn section(text: &'static str, section: &str) -> Self {
        let mut map = Self::default();
        let header = format!("\"{section}\":{{");
        let mut lines = text.lines().skip_while(|l| *l != header).skip(1);
        for line in lines.by_ref() {
            let Some((key, value)) = line.strip_prefix('"').and_then(|l| l.split_once("\":"))
            else {
                break;
            };
            map.entries.insert(
                key.to_ascii_lowercase().into(),
                (value.trim_end_matches(','), OnceLock::new()),
            );
        }
        map
    }

    /// The entry under `key` (lowercase), parsed now or before.
    pub(crate) fn get(&self, key: &str) -> Option<&T> {
        let (json, cell) = self.entries.get(key)?;
        cell.get_or_init(|| serde_json::from_str(json).ok())
            .as_ref()
    }

    /// Every key (lowercase), unordered.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(|k| &**k)
    }
}

/// The value of a top-level key written on one line (`"regions":[...]`).
pub(crate) fn top_level<T: DeserializeOwned>(text: &str, key: &str) -> Option<T> {
    let prefix = format!("\"{key}\":");
    let line = text.lines().find_map(|l| l.strip_prefix(prefix.as_str()))?;
    serde_json::from_str(line.trim_end_matches(',')).ok()
}
