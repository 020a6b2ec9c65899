//! [`Str`]: the text of a JSON key or string, stored inline when short.
//!
//! Most keys and many values of a plan are short (`"type"`, `"managed"`,
//! `"Allow"`): keeping them in the node instead of a heap allocation of
//! their own saves an allocation per string and about a fifth of the peak
//! memory on large plans (see the README's "Performance" section).

use std::fmt;
use std::ops::Deref;

/// Strings up to this many bytes are kept inline.
const INLINE: usize = 22;

/// An immutable string, inline up to 22 bytes.
#[derive(Clone)]
pub struct Str(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Str {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only `From<&str>` fills `bytes`, with whole characters, so the
            // check cannot fail; it is cheap on 22 bytes.
            Repr::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            Repr::Heap(s) => s,
        }
    }

    /// The text's bytes, without re-checking them.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(s) => s.as_bytes(),
        }
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        let mut bytes = [0; INLINE];
        match bytes.get_mut(..s.len()) {
            Some(dst) => {
                dst.copy_from_slice(s.as_bytes());
                Str(Repr::Inline {
                    len: s.len() as u8,
                    bytes,
                })
            }
            None => Str(Repr::Heap(s.into())),
        }
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        if s.len() <= INLINE {
            Str::from(s.as_str())
        } else {
            Str(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Str {}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl std::hash::Hash for Str {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Str;

    #[test]
    fn short_and_long_strings_round_trip() {
        for s in [
            "",
            "a",
            "é",
            "exactly twenty-two b!!",
            "twenty-three bytes long",
            "ünïcödé, longer than the inline part",
        ] {
            let v = Str::from(s);
            assert_eq!(v.as_str(), s);
            assert_eq!(v, *s);
            assert_eq!(Str::from(s.to_string()), v);
        }
    }

    #[test]
    fn the_inline_boundary_is_22_bytes() {
        assert!(matches!(
            Str::from("x".repeat(22).as_str()).0,
            super::Repr::Inline { .. }
        ));
        assert!(matches!(
            Str::from("x".repeat(23).as_str()).0,
            super::Repr::Heap(_)
        ));
    }
}
