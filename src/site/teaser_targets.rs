//! [`TeaserTargets`]: the archived page of every article's teasers, in one
//! flat list.
//!
//! A save that moves an article renumbers every article after it, so every
//! resolved teaser is mapped to its new index. Kept as one vector per
//! article, that touches one allocation per article with teasers (a cache
//! miss each, some milliseconds at 100,000 articles); kept flat, it is one
//! pass over a few megabytes.

/// No archived page for this teaser.
const NONE: u32 = u32::MAX;

/// For each article (by index), the archived page of each of its teasers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeaserTargets {
    /// Where each article's targets start in `targets`, and where the last
    /// ends: never empty.
    starts: Vec<u32>,
    /// Article indices, or [`NONE`].
    targets: Vec<u32>,
}

fn encode(target: Option<usize>) -> u32 {
    target.and_then(|i| u32::try_from(i).ok()).filter(|&i| i != NONE).unwrap_or(NONE)
}

fn decode(target: u32) -> Option<usize> {
    (target != NONE).then_some(target as usize)
}

impl Default for TeaserTargets {
    fn default() -> Self {
        TeaserTargets::with_capacity(0, 0)
    }
}

impl TeaserTargets {
    /// Room for `articles` articles and `teasers` teasers in all.
    pub fn with_capacity(articles: usize, teasers: usize) -> Self {
        let mut starts = Vec::with_capacity(articles + 1);
        starts.push(0);
        TeaserTargets { starts, targets: Vec::with_capacity(teasers) }
    }

    /// The targets of each article in turn.
    pub fn from_lists(lists: &[Vec<Option<usize>>]) -> Self {
        let teasers = lists.iter().map(Vec::len).sum();
        let mut all = TeaserTargets::with_capacity(lists.len(), teasers);
        for list in lists {
            all.push(list);
        }
        all
    }

    /// How many articles it holds.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many teasers it holds, all articles together.
    pub fn teasers(&self) -> usize {
        self.targets.len()
    }

    /// Adds the next article's targets.
    pub fn push(&mut self, targets: &[Option<usize>]) {
        self.targets.extend(targets.iter().map(|&t| encode(t)));
        self.starts.push(self.targets.len() as u32);
    }

    /// Adds the next article's targets as they were at article `from` of
    /// `old`, each mapped by `remap` (`None`: the target is gone, and so is
    /// the teaser's page). Returns whether a target was gone.
    pub fn push_mapped(
        &mut self,
        old: &TeaserTargets,
        from: usize,
        remap: impl Fn(usize) -> Option<usize>,
    ) -> bool {
        let mut lost = false;
        for &target in old.raw(from) {
            let now = decode(target).and_then(&remap);
            lost |= target != NONE && now.is_none();
            self.targets.push(encode(now));
        }
        self.starts.push(self.targets.len() as u32);
        lost
    }

    fn range(&self, article: usize) -> std::ops::Range<usize> {
        match (self.starts.get(article), self.starts.get(article + 1)) {
            (Some(&start), Some(&end)) => start as usize..end as usize,
            _ => 0..0,
        }
    }

    fn raw(&self, article: usize) -> &[u32] {
        &self.targets[self.range(article)]
    }

    /// The archived page of teaser `n` of `article`.
    pub fn get(&self, article: usize, n: usize) -> Option<usize> {
        decode(*self.raw(article).get(n)?)
    }

    /// The targets of `article`, one per teaser.
    pub fn of(&self, article: usize) -> Vec<Option<usize>> {
        self.raw(article).iter().map(|&t| decode(t)).collect()
    }

    /// Whether `article`'s targets are `targets`.
    pub fn are(&self, article: usize, targets: &[Option<usize>]) -> bool {
        let raw = self.raw(article);
        raw.len() == targets.len() && raw.iter().zip(targets).all(|(&a, &b)| a == encode(b))
    }

    /// Gives `article` new targets; when their number changed (its teasers
    /// did), the articles after it shift.
    pub fn set(&mut self, article: usize, targets: &[Option<usize>]) {
        if article >= self.len() {
            return;
        }
        let range = self.range(article);
        let grown = targets.len() as i64 - range.len() as i64;
        self.targets.splice(range, targets.iter().map(|&t| encode(t)));
        if grown != 0 {
            for start in &mut self.starts[article + 1..] {
                *start = (*start as i64 + grown) as u32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lists() -> impl Strategy<Value = Vec<Vec<Option<usize>>>> {
        prop::collection::vec(prop::collection::vec(prop::option::of(0..50usize), 0..5), 0..30)
    }

    proptest! {
        #[test]
        fn it_holds_what_lists_of_lists_hold(
            lists in lists(),
            edits in prop::collection::vec((0..30usize, prop::collection::vec(prop::option::of(0..50usize), 0..5)), 0..8),
        ) {
            let mut lists = lists;
            let mut flat = TeaserTargets::from_lists(&lists);
            for (article, targets) in edits {
                if article < lists.len() {
                    lists[article] = targets.clone();
                }
                flat.set(article, &targets);
            }
            prop_assert_eq!(flat.len(), lists.len());
            prop_assert_eq!(flat.teasers(), lists.iter().map(Vec::len).sum::<usize>());
            for (i, list) in lists.iter().enumerate() {
                prop_assert_eq!(&flat.of(i), list);
                prop_assert!(flat.are(i, list));
                for (n, target) in list.iter().enumerate() {
                    prop_assert_eq!(flat.get(i, n), *target);
                }
                prop_assert_eq!(flat.get(i, list.len()), None);
            }
            prop_assert_eq!(flat.get(lists.len(), 0), None);
        }

        #[test]
        fn mapping_says_when_a_target_is_gone(lists in lists(), gone in 0..50usize) {
            let old = TeaserTargets::from_lists(&lists);
            let remap = |i: usize| (i != gone).then_some(i + 1);
            let mut new = TeaserTargets::default();
            for (i, list) in lists.iter().enumerate() {
                let lost = new.push_mapped(&old, i, remap);
                prop_assert_eq!(lost, list.contains(&Some(gone)));
                let mapped: Vec<Option<usize>> = list.iter().map(|t| t.and_then(remap)).collect();
                prop_assert_eq!(new.of(i), mapped);
            }
        }
    }
}
