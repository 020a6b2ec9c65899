//! Hash maps with a fast, randomly seeded hasher.
//!
//! The standard SipHash cost about 9% of the time on a 100 MB plan, whose
//! views and models index hundreds of thousands of addresses. foldhash is
//! seeded per process, so crafted keys cannot force collisions ahead of time.

/// A `HashMap` with foldhash.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A `HashSet` with foldhash.
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
