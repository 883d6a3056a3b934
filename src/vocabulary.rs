//! The controlled vocabulary of offer and need tags (SPEC section 5).
//!
//! Tags form a hierarchy (a parent's `children`), which the partner matcher
//! uses in both directions, and carry synonyms, which are folded to their tag
//! when content is read. A child named only in a parent's `children` is a tag
//! of its own, labelled from its slug.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostics::Diagnostic;
use crate::fields::tag as F;
use crate::model::{Lang, is_slug};
use crate::source::{Doc, Obj, SourceFile, nearest, scalar_text};
use crate::yaml::{Mapping, Seg, Target};

/// One tag of the vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagInfo {
    /// Indonesian label.
    pub label: String,
    /// English label, if given.
    pub label_en: Option<String>,
    /// Direct children.
    pub children: Vec<String>,
    /// Direct parents.
    pub parents: Vec<String>,
}

/// The vocabulary: tags by slug, and synonyms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    tags: BTreeMap<String, TagInfo>,
    synonyms: HashMap<String, String>,
    /// Whether the site has a vocabulary file at all. Without one, tags are
    /// not checked (every tag would be unknown).
    pub present: bool,
}

impl Vocabulary {
    /// Every tag, sorted by slug.
    pub fn tags(&self) -> impl Iterator<Item = (&str, &TagInfo)> {
        self.tags.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The tag a word stands for: itself, or the tag it is a synonym of.
    pub fn fold<'a>(&'a self, word: &'a str) -> &'a str {
        match self.synonyms.get(word) {
            Some(t) => t,
            None => word,
        }
    }

    /// Whether `tag` is a tag of the vocabulary (synonyms are not).
    pub fn knows(&self, tag: &str) -> bool {
        self.tags.contains_key(tag)
    }

    /// Information about a tag.
    pub fn get(&self, tag: &str) -> Option<&TagInfo> {
        self.tags.get(tag)
    }

    /// The known tag or synonym closest to `word`, as a suggestion.
    pub fn nearest(&self, word: &str) -> Option<&str> {
        nearest(word, self.tags.keys().map(String::as_str).chain(self.synonyms.keys().map(String::as_str)))
            .map(|s| self.fold(s))
    }

    /// A tag's label in `lang` (its slug, humanised, when unknown).
    pub fn label(&self, tag: &str, lang: Lang) -> String {
        match self.tags.get(tag) {
            Some(info) => match (lang, &info.label_en) {
                (Lang::En, Some(en)) => en.clone(),
                _ => info.label.clone(),
            },
            None => humanize(tag),
        }
    }

    /// Every ancestor of `tag` (parents, their parents…), sorted.
    pub fn ancestors(&self, tag: &str) -> Vec<&str> {
        self.closure(tag, |t| &t.parents)
    }

    /// Every descendant of `tag`, sorted.
    pub fn descendants(&self, tag: &str) -> Vec<&str> {
        self.closure(tag, |t| &t.children)
    }

    fn closure<'a>(&'a self, tag: &str, next: impl Fn(&'a TagInfo) -> &'a Vec<String>) -> Vec<&'a str> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = match self.tags.get(tag) {
            Some(t) => next(t).iter().map(String::as_str).collect(),
            None => return Vec::new(),
        };
        while let Some(t) = todo.pop() {
            if seen.insert(t)
                && let Some(info) = self.tags.get(t)
            {
                todo.extend(next(info).iter().map(String::as_str));
            }
        }
        seen.into_iter().collect()
    }

    /// Whether an offer of `offer` meets a need for `need`: the same tag,
    /// or one is an ancestor of the other.
    pub fn meets(&self, offer: &str, need: &str) -> bool {
        offer == need || self.ancestors(offer).contains(&need) || self.ancestors(need).contains(&offer)
    }
}

/// "kemasan-plastik" → "Kemasan plastik".
pub fn humanize(slug: &str) -> String {
    let s = slug.replace('-', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Reads and validates `content/vocabulary.yaml`.
pub fn parse(file: &SourceFile) -> (Vocabulary, Vec<Diagnostic>) {
    let mut vocab = Vocabulary { present: true, ..Vocabulary::default() };
    let mut doc = Doc::whole(file);
    // A vocabulary that cannot be read checks no tags: otherwise one
    // syntax error would flag every tag of the site as unknown.
    let Some(value) = doc.parse() else {
        vocab.present = false;
        return (vocab, doc.diags);
    };
    let empty = Mapping::new();
    let Some(map) = doc.root(&value, &empty) else {
        vocab.present = false;
        return (vocab, doc.diags);
    };
    // Where each synonym was declared, to report collisions.
    let mut synonym_owner: HashMap<String, String> = HashMap::new();
    for (key, entry) in map {
        let tag = scalar_text(key).unwrap_or_default();
        let path = vec![Seg::Key(tag.clone())];
        if !is_slug(&tag) {
            doc.report(
                crate::diagnostics::Severity::Error,
                &path,
                Target::Key,
                format!("tag `{tag}` is not a slug (lowercase letters, digits and single hyphens)"),
            );
            continue;
        }
        let Some(emap) = entry.as_mapping() else {
            doc.error(&path, format!("tag `{tag}` must be a mapping with at least `label`"));
            continue;
        };
        let obj = Obj { map: emap, path: &path };
        doc.check_fields(obj, F::FIELDS);
        let label = doc.text_field(obj, &F::LABEL).unwrap_or_else(|| humanize(&tag));
        let label_en = doc.text_field(obj, &F::LABEL_EN);
        let mut children = Vec::new();
        for (cpath, child) in doc.list(obj, F::CHILDREN.key) {
            if !is_slug(&child) {
                doc.error(&cpath, format!("child `{child}` is not a slug"));
            } else if child == tag {
                doc.error(&cpath, format!("tag `{tag}` cannot be its own child"));
            } else if !children.contains(&child) {
                children.push(child);
            }
        }
        for (spath, syn) in doc.list(obj, F::SYNONYMS.key) {
            if syn == tag {
                continue;
            }
            if let Some(owner) = synonym_owner.get(&syn) {
                doc.error(&spath, format!("synonym `{syn}` is already a synonym of `{owner}`"));
                continue;
            }
            synonym_owner.insert(syn.clone(), tag.clone());
            vocab.synonyms.insert(syn, tag.clone());
        }
        let info = vocab.tags.entry(tag).or_default();
        info.label = label;
        info.label_en = label_en;
        info.children = children;
    }
    // Children named only under a parent are tags too.
    let edges: Vec<(String, String)> =
        vocab.tags.iter().flat_map(|(p, i)| i.children.iter().map(move |c| (p.clone(), c.clone()))).collect();
    for (parent, child) in edges {
        let info = vocab
            .tags
            .entry(child.clone())
            .or_insert_with(|| TagInfo { label: humanize(&child), ..TagInfo::default() });
        info.parents.push(parent);
    }
    // A synonym may not shadow a tag.
    let mut shadowing: Vec<(String, String)> = vocab
        .synonyms
        .iter()
        .filter(|(s, _)| vocab.tags.contains_key(*s))
        .map(|(s, t)| (s.clone(), t.clone()))
        .collect();
    shadowing.sort();
    for (syn, owner) in shadowing {
        let pos = synonym_position(&doc, map, &owner, &syn);
        let d = Diagnostic::error(
            &file.path,
            format!("synonym `{syn}` of `{owner}` is also a tag; a word can only mean one tag"),
        )
        .at_opt(&file.text, pos);
        doc.diags.push(d);
        vocab.synonyms.remove(&syn);
    }
    // The hierarchy must not loop.
    for cycle in find_cycles(&vocab) {
        let first = &cycle[0];
        let pos = doc.position(&[Seg::Key(first.clone())], Target::Key);
        let d = Diagnostic::error(&file.path, format!("the tag hierarchy loops: {}", cycle.join(" → ")))
            .at_opt(&file.text, pos);
        doc.diags.push(d);
        // Break the loop so later stages can walk the hierarchy safely.
        let last = cycle[cycle.len() - 2].clone();
        if let Some(info) = vocab.tags.get_mut(&last) {
            info.children.retain(|c| c != first);
        }
        if let Some(info) = vocab.tags.get_mut(first) {
            info.parents.retain(|p| p != &last);
        }
    }
    (vocab, doc.diags)
}

fn synonym_position(doc: &Doc<'_>, map: &Mapping, owner: &str, syn: &str) -> Option<(usize, usize)> {
    let list = map.get(owner)?.as_mapping()?.get("synonyms")?;
    let idx = match list.as_sequence() {
        Some(items) => items.iter().position(|v| v.as_str() == Some(syn))?,
        None => {
            return doc.position(&[Seg::Key(owner.into()), Seg::Key("synonyms".into())], Target::Value);
        }
    };
    doc.position(&[Seg::Key(owner.into()), Seg::Key("synonyms".into()), Seg::Index(idx)], Target::Value)
}

/// Every cycle of the child relation, each as a path that starts and ends
/// at the same tag (found by depth-first search from tags in slug order).
fn find_cycles(vocab: &Vocabulary) -> Vec<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Active,
        Done,
    }
    let names: Vec<&String> = vocab.tags.keys().collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut state = vec![State::New; names.len()];
    let mut cycles = Vec::new();
    for start in 0..names.len() {
        if state[start] != State::New {
            continue;
        }
        // Iterative DFS: (node, next child position).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = State::Active;
        while let Some(&mut (node, ref mut pos)) = stack.last_mut() {
            let children = &vocab.tags[names[node]].children;
            if *pos < children.len() {
                let child = children[*pos].as_str();
                *pos += 1;
                let Some(&c) = index.get(child) else { continue };
                match state[c] {
                    State::New => {
                        state[c] = State::Active;
                        stack.push((c, 0));
                    }
                    State::Active => {
                        let from = stack.iter().position(|(n, _)| *n == c).unwrap_or(0);
                        let mut cycle: Vec<String> = stack[from..].iter().map(|(n, _)| names[*n].clone()).collect();
                        cycle.push(names[c].clone());
                        cycles.push(cycle);
                    }
                    State::Done => {}
                }
            } else {
                state[node] = State::Done;
                stack.pop();
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(src: &str) -> (Vocabulary, Vec<Diagnostic>) {
        parse(&SourceFile::new("content/vocabulary.yaml", src))
    }

    #[test]
    fn hierarchy_and_synonyms() {
        let (v, d) = vocab(
            "kemasan:\n  label: Kemasan\n  children: [kemasan-karton, kemasan-plastik]\nkemasan-karton:\n  label: Kemasan karton\n  synonyms: [kardus, dus]\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(v.fold("kardus"), "kemasan-karton");
        assert!(v.knows("kemasan-plastik"));
        assert_eq!(v.label("kemasan-plastik", Lang::Id), "Kemasan plastik");
        assert_eq!(v.ancestors("kemasan-karton"), ["kemasan"]);
        assert_eq!(v.descendants("kemasan"), ["kemasan-karton", "kemasan-plastik"]);
        assert!(v.meets("kemasan-karton", "kemasan"));
        assert!(v.meets("kemasan", "kemasan-karton"));
        assert!(!v.meets("kemasan-karton", "kemasan-plastik"));
        assert_eq!(v.nearest("kemasan-plastk"), Some("kemasan-plastik"));
    }

    #[test]
    fn cycles_are_errors() {
        let (v, d) = vocab(
            "a:\n  label: A\n  children: [b]\nb:\n  label: B\n  children: [c]\nc:\n  label: C\n  children: [a]\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("a → b → c → a"), "{}", d[0].message);
        assert_eq!(d[0].line, Some(1));
        // The loop is broken, so walking terminates.
        assert!(v.descendants("a").len() <= 3);
    }

    #[test]
    fn synonym_collisions() {
        let (_, d) = vocab("a:\n  label: A\n  synonyms: [x, b]\nb:\n  label: B\n  synonyms: [x]\n");
        let msgs: Vec<_> = d.iter().map(|d| (d.line, d.message.clone())).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs.iter().any(|(l, m)| *l == Some(6) && m.contains("already a synonym of `a`")));
        assert!(msgs.iter().any(|(l, m)| *l == Some(3) && m.contains("`b` of `a` is also a tag")));
    }
}
