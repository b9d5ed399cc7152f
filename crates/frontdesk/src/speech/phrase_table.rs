//! Phrase tables indexed by the first letter of their first word: a rule that looks for one of
//! forty phrases compares a handful of words, not forty, at a position where none can start. Declared in place with [`phrases!`]
//! (phrases only) or [`phrase_table!`] (phrases with a value), built once on first use.

/// One bucket per letter a–z, one for everything else.
const BUCKETS: usize = 27;

fn bucket(word: &str) -> usize {
    match word.as_bytes().first() {
        Some(b) if b.is_ascii_lowercase() => usize::from(b - b'a'),
        _ => BUCKETS - 1,
    }
}

/// A phrase split into words, with its value.
type Entry<V> = (Vec<&'static str>, V);

/// Phrases (space-separated folded words) with a value each, by the first letter.
pub struct Phrases<V: 'static> {
    buckets: Vec<Vec<Entry<V>>>,
}

impl<V: Copy> Phrases<V> {
    /// Indexes the entries.
    pub fn new(entries: &[(&'static str, V)]) -> Self {
        let mut buckets: Vec<Vec<Entry<V>>> = (0..BUCKETS).map(|_| Vec::new()).collect();
        for (phrase, value) in entries {
            let words: Vec<&'static str> = phrase.split(' ').collect();
            buckets[bucket(words[0])].push((words, *value));
        }
        // Longest first, so the first phrase that matches is the longest.
        for bucket in &mut buckets {
            bucket.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        Self { buckets }
    }

    /// The longest phrase that the words from `first` on spell, with its length and value.
    pub fn longest<'w>(&self, first: &str, word: impl Fn(usize) -> &'w str) -> Option<(usize, V)> {
        self.buckets[bucket(first)]
            .iter()
            .find(|(words, _)| words[0] == first && words.iter().enumerate().skip(1).all(|(k, w)| word(k) == *w))
            .map(|(words, value)| (words.len(), *value))
    }
}

/// A static table of phrases without values: `phrases!["so frueh wie moeglich", "jetzt"]`.
macro_rules! phrases {
    ($($phrase:expr),* $(,)?) => {{
        static TABLE: std::sync::LazyLock<$crate::speech::phrase_table::Phrases<()>> =
            std::sync::LazyLock::new(|| $crate::speech::phrase_table::Phrases::new(&[$(($phrase, ())),*]));
        &*TABLE
    }};
}

/// A static table of phrases with values: `phrase_table![Type; ("nach der arbeit", 17), …]`.
macro_rules! phrase_table {
    ($value:ty; $(($phrase:expr, $v:expr)),* $(,)?) => {{
        static TABLE: std::sync::LazyLock<$crate::speech::phrase_table::Phrases<$value>> =
            std::sync::LazyLock::new(|| $crate::speech::phrase_table::Phrases::new(&[$(($phrase, $v)),*]));
        &*TABLE
    }};
}

pub(super) use {phrase_table, phrases};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_longest_phrase_from_its_first_word() {
        let table = Phrases::new(&[("jetzt", 1), ("jetzt gleich", 2), ("so frueh wie moeglich", 3)]);
        let words = ["jetzt", "gleich", "bitte"];
        let at = |k: usize| words.get(k).copied().unwrap_or("");
        assert_eq!(table.longest("jetzt", at), Some((2, 2)));
        let other = ["so", "frueh"];
        assert_eq!(table.longest("so", |k| other.get(k).copied().unwrap_or("")), None);
        assert_eq!(table.longest("morgen", at), None);
    }
}
