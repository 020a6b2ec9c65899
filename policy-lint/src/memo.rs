//! Per-thread memos of pure functions of a string: a policy set repeats its
//! actions and ARNs thousands of times, so rules pay once per distinct
//! string. The memo starts over past a bound, so no input grows it without
//! limit.

use std::cell::RefCell;
use std::thread::LocalKey;

use crate::hash::HashMap;

/// A memo from strings to values, in a `thread_local!`.
pub(crate) type StrMemo<V> = RefCell<HashMap<Box<str>, V>>;

/// Distinct strings remembered per memo and thread before it starts over
/// (a policy set rarely names more than a few thousand).
const LIMIT: usize = 1 << 16;

/// `compute(key)`, computed once per thread and distinct `key` while the
/// memo holds it. `compute` may use other memos, not this one.
pub(crate) fn memoized<V: Clone>(
    memo: &'static LocalKey<StrMemo<V>>,
    key: &str,
    compute: impl FnOnce(&str) -> V,
) -> V {
    if let Some(hit) = memo.with(|m| m.try_borrow().ok()?.get(key).cloned()) {
        return hit;
    }
    let value = compute(key);
    memo.with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            if m.len() >= LIMIT {
                m.clear();
            }
            m.insert(key.into(), value.clone());
        }
    });
    value
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    thread_local! {
        static LENGTHS: StrMemo<usize> = StrMemo::default();
    }

    #[test]
    fn computes_once_per_distinct_string() {
        let calls = Cell::new(0);
        let len = |s: &str| {
            calls.set(calls.get() + 1);
            s.len()
        };
        assert_eq!(memoized(&LENGTHS, "abc", len), 3);
        assert_eq!(memoized(&LENGTHS, "abc", len), 3);
        assert_eq!(memoized(&LENGTHS, "abcd", len), 4);
        assert_eq!(calls.get(), 2);
    }
}
