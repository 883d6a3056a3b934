//! Suggested partners (SPEC section 7): who should each firm talk to, and why.
//!
//! A suggestion needs a concrete supply-chain link: the partner offers
//! something the firm needs (counting its products' materials), or needs
//! something the firm offers. Tags match when they are equal or one is an
//! ancestor of the other in the vocabulary.
//!
//! # Scoring
//! For a firm `f` and a candidate `g`:
//! - `S` (g supplies f) sums, over f's needs, the best weight of a g offer
//!   meeting it; `B` (g buys from f) is the same the other way round.
//! - The weight of a link is the rarity of the offered tag,
//!   `ln(1 + firms / offerers)`, times 0.7 when the match goes through the
//!   hierarchy instead of being exact: a service half the city offers says
//!   little, a rare supplier says a lot.
//! - `link = S + B + min(S, B)`: a two-way partner earns a bonus equal to its
//!   weaker direction, so it ranks above a one-way match of the same strength.
//! - Refinements, each smaller than the weakest link: PP 29/2018 scale
//!   linkage (+0.3), shared cooperation modes (+0.15 each, at most two) and
//!   proximity (+0.2 same kelurahan, +0.1 same kecamatan).
//! - The published score is `raw / (raw + 4)`, rounded to four decimals;
//!   lists are sorted by that score, then by slug.
//!
//! # Cost
//! Candidates come from an inverted index (tag → firms offering it, tag →
//! firms needing it), never from comparing every pair. A first pass scores
//! candidates roughly by summing the weights they touch; the best
//! `max(64, 8 × per_firm)` are then scored exactly. A tag offered or needed by
//! more than [`POSTING_CAP`] firms is only walked for that many of them,
//! nearest first (same kelurahan, then kecamatan, then elsewhere), lowest
//! slug first within each, so that ties are broken by slug. The rough pass
//! keeps what a candidate supplies and what it buys apart and ranks as the
//! exact score does (a two-way partner gains its weaker side); when a walk
//! was cut short, the direction it may have missed is scored exactly for
//! the candidates met in the other one, so a mutual partner found one way
//! is never lost. The work per firm is therefore bounded by its tags, and
//! the whole run is linear in firms × tags.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{District, Firm, Kind, Scale, Site};
use crate::vocabulary::Vocabulary;

/// Longest part of a posting list walked for one tag of one firm.
pub const POSTING_CAP: usize = 256;

/// Score weight of an exact tag match relative to a hierarchy match.
const HIERARCHY_FACTOR: f64 = 0.7;
const LINKAGE_BONUS: f64 = 0.3;
const COOPERATION_BONUS: f64 = 0.15;
const KELURAHAN_BONUS: f64 = 0.2;
const KECAMATAN_BONUS: f64 = 0.1;

/// Why a partner is suggested. Serialised as SPEC section 6 shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The partner offers what this firm needs; `tags` are the partner's
    /// offers that meet one of this firm's needs or materials.
    Supplies {
        /// Offered tags.
        tags: Vec<String>,
    },
    /// The partner needs what this firm offers; `tags` are this firm's offers
    /// that meet one of the partner's needs or materials.
    Buys {
        /// Offered tags.
        tags: Vec<String>,
    },
    /// A pairing PP 29/2018 names: kecil–menengah, kecil–besar,
    /// menengah–besar, or an IKM with a non-industry institution. `from` is
    /// this firm's scale (its kind when it has none), `to` the partner's.
    ScaleLinkage {
        /// This firm's scale or kind.
        from: String,
        /// The partner's scale or kind.
        to: String,
    },
    /// Cooperation modes both welcome.
    Cooperation {
        /// The shared modes.
        modes: Vec<String>,
    },
    /// Same kelurahan, or same kecamatan.
    Nearby {
        /// `kelurahan` or `kecamatan`.
        level: String,
        /// The shared place, as profiles write it.
        place: String,
    },
}

/// One suggested partner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// Index of the partner in `Site::firms`.
    #[serde(skip)]
    pub partner: usize,
    /// The partner's slug.
    pub slug: String,
    /// Published score in (0, 1), four decimals.
    pub score: f64,
    /// Reasons, in the order of [`Reason`]'s variants.
    pub reasons: Vec<Reason>,
}

/// What a firm needs, as matching counts it: its profile's `needs`, plus the
/// `materials` of its published products that none of its own `offers`
/// meets (the same tag, or one above the other in the vocabulary). A firm
/// that grows cassava and makes cassava rice from it does not need cassava
/// from anyone: its own offer is no need of it. Needs written in the profile
/// count as written (a collector may well buy more of what it sells).
/// Sorted and deduplicated.
pub fn needs(vocabulary: &Vocabulary, f: &Firm) -> Vec<String> {
    let own = |m: &String| f.offers.iter().any(|o| vocabulary.meets(o, m));
    let mut v: Vec<String> = f
        .needs
        .iter()
        .cloned()
        .chain(f.products.iter().filter(|p| !p.draft).flat_map(|p| p.materials.iter()).filter(|m| !own(m)).cloned())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// [`needs`] of each firm, each computed when first asked for: a page of
/// draft proposals asks for its firm's and its partners' needs many times
/// (one cache per rendering pass, shared by its threads).
pub struct NeedsCache(Vec<std::sync::OnceLock<Vec<String>>>);

impl NeedsCache {
    /// An empty cache for the firms of `site`.
    pub fn new(site: &Site) -> Self {
        NeedsCache((0..site.firms.len()).map(|_| std::sync::OnceLock::new()).collect())
    }

    /// The needs of firm `fi` of `site` (the site the cache was made for).
    pub fn get<'c>(&'c self, site: &Site, fi: usize) -> std::borrow::Cow<'c, [String]> {
        match (self.0.get(fi), site.firms.get(fi)) {
            (Some(cell), Some(f)) => std::borrow::Cow::Borrowed(cell.get_or_init(|| needs(&site.vocabulary, f))),
            (None, Some(f)) => std::borrow::Cow::Owned(needs(&site.vocabulary, f)),
            _ => std::borrow::Cow::Owned(Vec::new()),
        }
    }
}

/// The tag space and inverted index of one catalogue.
struct Index<'s> {
    site: &'s Site,
    /// Offers / needs of each firm as tag ids, sorted, deduplicated.
    offers: Vec<Vec<u32>>,
    needs: Vec<Vec<u32>>,
    /// For each tag, the tags it meets (itself, ancestors, descendants), sorted.
    related: Vec<Vec<u32>>,
    /// The same, the tag itself first (the order candidates are walked in).
    walk_order: Vec<Vec<u32>>,
    /// Weight of offering each tag.
    weight: Vec<f64>,
    /// Firms offering / needing each tag, ordered by place then index.
    offerers: Vec<Vec<u32>>,
    needers: Vec<Vec<u32>>,
    /// The same lists ordered by kecamatan, then index (for the walks'
    /// later groups, which are taken in index order).
    offerers_kec: Vec<Vec<u32>>,
    needers_kec: Vec<Vec<u32>>,
    /// Place code of each firm (kecamatan × 16 + kelurahan).
    place: Vec<u16>,
    /// Compact profile traits for the refinements of the rough pass.
    traits: Vec<Traits>,
    /// Tag signatures (bit `tag % 64`) of each firm's offers, and of its
    /// needs with every tag related to them: when `offer_sig[f] &
    /// need_sig[g]` is 0, nothing `f` offers meets a need of `g`.
    offer_sig: Vec<u64>,
    need_sig: Vec<u64>,
    names: Vec<String>,
    /// Candidate: drafts never are.
    eligible: Vec<bool>,
    /// For each firm, the firms it must never be suggested (existing and
    /// excluded partners, both ways), as sorted indices: checking a
    /// candidate then touches no profile.
    blocked: Vec<Vec<u32>>,
}

fn place_code(f: &Firm) -> u16 {
    let d = District::ALL.iter().position(|x| *x == f.district).unwrap_or(0);
    let k = f.subdistrict.as_deref().and_then(|s| f.district.subdistricts().iter().position(|x| *x == s)).unwrap_or(15);
    (d * 16 + k) as u16
}

impl<'s> Index<'s> {
    fn new(site: &'s Site) -> Self {
        // Intern every tag: the vocabulary's, then the ones firms use.
        let mut names: Vec<String> = site.vocabulary.tags().map(|(t, _)| t.to_string()).collect();
        let firm_needs: Vec<Vec<String>> = site.firms.iter().map(|f| needs(&site.vocabulary, f)).collect();
        for (f, n) in site.firms.iter().zip(&firm_needs) {
            names.extend(f.offers.iter().cloned());
            names.extend(n.iter().cloned());
        }
        names.sort();
        names.dedup();
        let id: HashMap<&str, u32> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i as u32)).collect();
        let to_ids = |tags: &[String]| -> Vec<u32> {
            let mut v: Vec<u32> = tags.iter().filter_map(|t| id.get(t.as_str()).copied()).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let offers: Vec<Vec<u32>> = site.firms.iter().map(|f| to_ids(&f.offers)).collect();
        let needs: Vec<Vec<u32>> = firm_needs.iter().map(|n| to_ids(n)).collect();
        let related: Vec<Vec<u32>> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut v = vec![i as u32];
                for t in site.vocabulary.ancestors(n).into_iter().chain(site.vocabulary.descendants(n)) {
                    if let Some(&j) = id.get(t) {
                        v.push(j);
                    }
                }
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let walk_order: Vec<Vec<u32>> = related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut v = vec![i as u32];
                v.extend(r.iter().copied().filter(|&t| t != i as u32));
                v
            })
            .collect();
        let eligible: Vec<bool> = site.firms.iter().map(|f| !f.draft).collect();
        let traits: Vec<Traits> = site.firms.iter().map(|f| Traits::of(f)).collect();
        let mut blocked: Vec<Vec<u32>> = vec![Vec::new(); site.firms.len()];
        for (a, f) in site.firms.iter().enumerate() {
            for slug in f.partners.iter().chain(&f.exclude_partners) {
                if let Some(b) = site.firm_index(slug) {
                    blocked[a].push(b as u32);
                    blocked[b].push(a as u32);
                }
            }
        }
        for list in &mut blocked {
            list.sort_unstable();
            list.dedup();
        }
        let place: Vec<u16> = site.firms.iter().map(|f| place_code(f)).collect();
        let mut offerers = vec![Vec::new(); names.len()];
        let mut needers = vec![Vec::new(); names.len()];
        for (fi, f) in offers.iter().enumerate() {
            if eligible[fi] {
                for &t in f {
                    offerers[t as usize].push(fi as u32);
                }
            }
        }
        for (fi, f) in needs.iter().enumerate() {
            if eligible[fi] {
                for &t in f {
                    needers[t as usize].push(fi as u32);
                }
            }
        }
        let (mut offerers_kec, mut needers_kec) = (offerers.clone(), needers.clone());
        for list in offerers.iter_mut().chain(needers.iter_mut()) {
            list.sort_by_key(|&g| (place[g as usize], g));
        }
        for list in offerers_kec.iter_mut().chain(needers_kec.iter_mut()) {
            list.sort_by_key(|&g| (place[g as usize] / 16, g));
        }
        let bit = |t: u32| 1u64 << (t % 64);
        let offer_sig = offers.iter().map(|o| o.iter().fold(0, |m, &t| m | bit(t))).collect();
        let need_sig =
            needs.iter().map(|n| n.iter().flat_map(|&t| &related[t as usize]).fold(0, |m, &t| m | bit(t))).collect();
        let n = eligible.iter().filter(|e| **e).count().max(1) as f64;
        let weight = offerers.iter().map(|o| (1.0 + n / (o.len().max(1) as f64)).ln()).collect();
        Index {
            site,
            offers,
            needs,
            related,
            walk_order,
            weight,
            offerers,
            needers,
            offerers_kec,
            needers_kec,
            place,
            traits,
            offer_sig,
            need_sig,
            names,
            eligible,
            blocked,
        }
    }

    fn ordered_related(&self, t: u32) -> &[u32] {
        &self.walk_order[t as usize]
    }

    /// Weight of offer `o` meeting need `n` (0 when it does not).
    fn link(&self, o: u32, n: u32) -> f64 {
        if o == n {
            self.weight[o as usize]
        } else if self.related[n as usize].binary_search(&o).is_ok() {
            self.weight[o as usize] * HIERARCHY_FACTOR
        } else {
            0.0
        }
    }

    /// Σ over `needs` of the best link from `offers`.
    fn strength(&self, offers: &[u32], needs: &[u32]) -> f64 {
        needs.iter().map(|&n| offers.iter().map(|&o| self.link(o, n)).fold(0.0, f64::max)).sum()
    }

    /// The offered tags that meet at least one of `needs`.
    fn meeting(&self, offers: &[u32], needs: &[u32]) -> Vec<String> {
        offers
            .iter()
            .filter(|&&o| needs.iter().any(|&n| self.link(o, n) > 0.0))
            .map(|&o| self.names[o as usize].clone())
            .collect()
    }

    /// Walks up to `cap` firms of a posting list: the same kelurahan first,
    /// then the rest of the kecamatan, then elsewhere; within each of these
    /// groups the lowest firm indices (slugs) first, so that ties are broken
    /// by slug as SPEC 7 asks. `by_place` is the list ordered by place, then
    /// index (the kelurahan is one slice of it); `by_kec` the same firms by
    /// kecamatan, then index (the rest of the kecamatan is one slice less the
    /// kelurahan, elsewhere two slices merged). Nothing is copied, and the
    /// cost is the cap, not the list's length. Returns how many were walked.
    fn walk(by_place: &[u32], by_kec: &[u32], places: &[u16], place: u16, cap: usize, mut f: impl FnMut(u32)) -> usize {
        if by_place.len() <= cap {
            by_place.iter().for_each(|&g| f(g));
            return by_place.len();
        }
        let mut budget = cap;
        // Same kelurahan.
        let lo = by_place.partition_point(|&g| places[g as usize] < place);
        let hi = by_place.partition_point(|&g| places[g as usize] <= place);
        let own = &by_place[lo..hi.min(lo + budget)];
        own.iter().for_each(|&g| f(g));
        budget -= own.len();
        if budget == 0 {
            return cap;
        }
        // The rest of the kecamatan (all of the kelurahan was walked).
        let kec = place / 16;
        let lo = by_kec.partition_point(|&g| places[g as usize] / 16 < kec);
        let hi = by_kec.partition_point(|&g| places[g as usize] / 16 <= kec);
        for &g in &by_kec[lo..hi] {
            if budget == 0 {
                return cap;
            }
            if places[g as usize] != place {
                f(g);
                budget -= 1;
            }
        }
        // Elsewhere: the kecamatan before and after, merged by index.
        let (mut a, mut b) = (by_kec[..lo].iter().peekable(), by_kec[hi..].iter().peekable());
        while budget > 0 {
            let g = match (a.peek(), b.peek()) {
                (Some(&&x), Some(&&y)) if x < y => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, _) => b.next(),
            };
            let Some(&g) = g else { break };
            f(g);
            budget -= 1;
        }
        cap - budget
    }

    fn suggest(&self, fi: usize, per_firm: usize, scratch: &mut Scratch) -> Vec<Suggestion> {
        if per_firm == 0 {
            return Vec::new();
        }
        let place = self.place[fi];
        scratch.touched.clear();
        // Rough pass: sum link weights over every candidate touched. Each
        // need (and each offer) walks at most POSTING_CAP firms in all, its
        // own tag first, then the tags related through the hierarchy.
        let (mut cut_supply, mut cut_buy) = (false, false);
        for &n in &self.needs[fi] {
            let mut budget = POSTING_CAP;
            for &t in self.ordered_related(n) {
                let w = self.link(t, n);
                let (list, by_kec) = (&self.offerers[t as usize], &self.offerers_kec[t as usize]);
                let walked = Self::walk(list, by_kec, &self.place, place, budget, |g| scratch.add(g, w, false));
                cut_supply |= walked < list.len();
                budget -= walked;
            }
        }
        for &o in &self.offers[fi] {
            let mut budget = POSTING_CAP;
            for &t in self.ordered_related(o) {
                let w = self.link(o, t);
                let (list, by_kec) = (&self.needers[t as usize], &self.needers_kec[t as usize]);
                let walked = Self::walk(list, by_kec, &self.place, place, budget, |g| scratch.add(g, w, true));
                cut_buy |= walked < list.len();
                budget -= walked;
            }
        }
        let blocked = &self.blocked[fi];
        let excluded = |g: usize| -> bool {
            g == fi || !self.eligible[g] || (!blocked.is_empty() && blocked.binary_search(&(g as u32)).is_ok())
        };
        // The shortlist ranks by link weight plus the refinements (from
        // compact traits, touching no profile), so that among equally
        // linked candidates the nearer, PP 29/2018-linked ones are kept.
        let me = self.traits[fi];
        let mut cands: Vec<(f32, u32)> = Vec::with_capacity(scratch.touched.len());
        for &g in &scratch.touched {
            let gi = g as usize;
            if excluded(gi) {
                continue;
            }
            let (mut sup, mut buy) = (scratch.supply[gi], scratch.buy[gi]);
            // A walk cut short may have missed the other direction of a
            // candidate the firm met in one: a supplier that also buys from
            // it (or the other way round), the best kind of partner. Such a
            // direction is scored exactly, for the candidates whose tag
            // signatures allow it (one AND each, no profile read otherwise).
            if cut_buy && buy == 0.0 && self.need_sig[gi] & self.offer_sig[fi] != 0 {
                buy = self.strength(&self.offers[fi], &self.needs[gi]) as f32;
            }
            if cut_supply && sup == 0.0 && self.offer_sig[gi] & self.need_sig[fi] != 0 {
                sup = self.strength(&self.offers[gi], &self.needs[fi]) as f32;
            }
            // As the exact score: a two-way partner gains its weaker side.
            cands.push((sup + buy + sup.min(buy) + refinement(me, self.traits[gi]), g));
        }
        scratch.reset();
        let keep = (per_firm * 8).max(64);
        if cands.len() > keep {
            cands.select_nth_unstable_by(keep - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            cands.truncate(keep);
        }
        // Exact pass, then reasons for the few that make the list.
        let mut scored: Vec<(f64, u32)> =
            cands.into_iter().filter_map(|(_, g)| self.score(fi, g as usize).map(|s| (s, g))).collect();
        let slug = |g: u32| self.site.firms[g as usize].slug.as_str();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| slug(a.1).cmp(slug(b.1))));
        scored.truncate(per_firm);
        scored
            .into_iter()
            .map(|(score, g)| Suggestion {
                partner: g as usize,
                slug: slug(g).to_string(),
                score,
                reasons: self.reasons(fi, g as usize),
            })
            .collect()
    }

    /// The published score of suggesting `g` to `f`, or `None` without an
    /// offer–need link. Allocates nothing: it runs for every shortlisted
    /// candidate.
    fn score(&self, f: usize, g: usize) -> Option<f64> {
        let (ff, gg) = (&self.site.firms[f], &self.site.firms[g]);
        let s = self.strength(&self.offers[g], &self.needs[f]);
        let b = self.strength(&self.offers[f], &self.needs[g]);
        if s <= 0.0 && b <= 0.0 {
            return None;
        }
        let mut raw = s + b + s.min(b);
        if is_linkage(ff, gg) {
            raw += LINKAGE_BONUS;
        }
        let shared = ff.cooperation.iter().filter(|m| gg.cooperation.contains(m)).count();
        raw += COOPERATION_BONUS * shared.min(2) as f64;
        raw += match nearby(ff, gg) {
            Some(Near::Kelurahan) => KELURAHAN_BONUS,
            Some(Near::Kecamatan) => KECAMATAN_BONUS,
            None => 0.0,
        };
        Some(((raw / (raw + 4.0)) * 10_000.0).round() / 10_000.0)
    }

    /// Why `g` is suggested to `f`, in the order of [`Reason`]'s variants.
    fn reasons(&self, f: usize, g: usize) -> Vec<Reason> {
        let (ff, gg) = (&self.site.firms[f], &self.site.firms[g]);
        let mut reasons = Vec::new();
        let supplied = self.meeting(&self.offers[g], &self.needs[f]);
        if !supplied.is_empty() {
            reasons.push(Reason::Supplies { tags: supplied });
        }
        let bought = self.meeting(&self.offers[f], &self.needs[g]);
        if !bought.is_empty() {
            reasons.push(Reason::Buys { tags: bought });
        }
        if let Some((from, to)) = linkage(ff, gg) {
            reasons.push(Reason::ScaleLinkage { from, to });
        }
        let mut modes: Vec<String> =
            ff.cooperation.iter().filter(|m| gg.cooperation.contains(m)).map(|m| m.as_str().to_string()).collect();
        if !modes.is_empty() {
            modes.sort();
            reasons.push(Reason::Cooperation { modes });
        }
        match nearby(ff, gg) {
            Some(Near::Kelurahan) => reasons
                .push(Reason::Nearby { level: "kelurahan".into(), place: ff.subdistrict.clone().unwrap_or_default() }),
            Some(Near::Kecamatan) => {
                reasons.push(Reason::Nearby { level: "kecamatan".into(), place: ff.district.name().to_string() })
            }
            None => {}
        }
        reasons
    }
}

/// What the refinements need of a profile, packed in 32 bits so that the
/// rough pass reads one small array: place code (16 bits), cooperation
/// modes (8), scale (2), kind (2: ikm, other industry, institution) and
/// whether the kelurahan is known (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Traits(u32);

// The cooperation modes must fit their 8 bits.
const _: () = assert!(crate::model::Cooperation::ALL.len() <= 8);

impl Traits {
    fn of(f: &Firm) -> Traits {
        let coop = f
            .cooperation
            .iter()
            .map(|c| crate::model::Cooperation::ALL.iter().position(|x| x == c).unwrap_or(0))
            .fold(0u32, |acc, i| acc | (1 << i));
        let scale = f.scale.map_or(0, |s| 1 + Scale::ALL.iter().position(|x| *x == s).unwrap_or(0) as u32);
        let kind = match f.kind {
            Kind::Ikm => 1,
            k if k.is_industry() => 2,
            _ => 0,
        };
        Traits(
            u32::from(place_code(f)) | coop << 16 | scale << 24 | kind << 26 | u32::from(f.subdistrict.is_some()) << 28,
        )
    }
    fn place(self) -> u32 {
        self.0 & 0xffff
    }
    fn coop(self) -> u32 {
        (self.0 >> 16) & 0xff
    }
    fn scale(self) -> u32 {
        (self.0 >> 24) & 3
    }
    fn ikm(self) -> bool {
        (self.0 >> 26) & 3 == 1
    }
    fn industry(self) -> bool {
        (self.0 >> 26) & 3 != 0
    }
    fn has_kel(self) -> bool {
        (self.0 >> 28) & 1 == 1
    }
}

/// The refinement bonus of a pair, exactly as [`Index::score`] adds it.
fn refinement(a: Traits, b: Traits) -> f32 {
    let mut r = 0.0;
    let linkage = if a.industry() && b.industry() && a.scale() != 0 && b.scale() != 0 {
        a.scale() != b.scale()
    } else {
        (a.ikm() && !b.industry()) || (b.ikm() && !a.industry())
    };
    if linkage {
        r += LINKAGE_BONUS;
    }
    r += COOPERATION_BONUS * (a.coop() & b.coop()).count_ones().min(2) as f64;
    if a.place() / 16 == b.place() / 16 {
        r += if a.has_kel() && b.has_kel() && a.place() == b.place() { KELURAHAN_BONUS } else { KECAMATAN_BONUS };
    }
    r as f32
}

/// How close two firms are.
enum Near {
    Kelurahan,
    Kecamatan,
}

fn nearby(a: &Firm, b: &Firm) -> Option<Near> {
    if a.district != b.district {
        return None;
    }
    match (&a.subdistrict, &b.subdistrict) {
        (Some(x), Some(y)) if x == y => Some(Near::Kelurahan),
        _ => Some(Near::Kecamatan),
    }
}

fn is_linkage(a: &Firm, b: &Firm) -> bool {
    match (a.scale, b.scale) {
        (Some(x), Some(y)) if a.kind.is_industry() && b.kind.is_industry() => x != y,
        _ => (a.kind == Kind::Ikm && !b.kind.is_industry()) || (b.kind == Kind::Ikm && !a.kind.is_industry()),
    }
}

/// The PP 29/2018 pairing of two profiles, if they form one.
pub fn linkage(a: &Firm, b: &Firm) -> Option<(String, String)> {
    let label = |f: &Firm| f.scale.map_or(f.kind.as_str(), Scale::as_str).to_string();
    match (a.scale, b.scale) {
        (Some(x), Some(y)) if a.kind.is_industry() && b.kind.is_industry() && x != y => {
            Some((x.as_str().to_string(), y.as_str().to_string()))
        }
        _ => {
            let ikm_institution = |p: &Firm, q: &Firm| p.kind == Kind::Ikm && !q.kind.is_industry();
            if ikm_institution(a, b) || ikm_institution(b, a) { Some((label(a), label(b))) } else { None }
        }
    }
}

/// Per-thread accumulator over all firms (dense, reset by the touched list).
struct Scratch {
    /// Rough weight of what each candidate supplies the firm (from the walks
    /// of the firm's needs) and buys from it (from the walks of its offers).
    supply: Vec<f32>,
    buy: Vec<f32>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch { supply: vec![0.0; n], buy: vec![0.0; n], touched: Vec::with_capacity(4096) }
    }

    fn add(&mut self, g: u32, w: f64, buys: bool) {
        let i = g as usize;
        if self.supply[i] == 0.0 && self.buy[i] == 0.0 {
            self.touched.push(g);
        }
        let slot = if buys { &mut self.buy[i] } else { &mut self.supply[i] };
        *slot += w as f32;
    }

    fn reset(&mut self) {
        for &g in &self.touched {
            self.supply[g as usize] = 0.0;
            self.buy[g as usize] = 0.0;
        }
        self.touched.clear();
    }
}

/// Suggested partners of every firm, indexed like `site.firms`. Drafts get
/// suggestions (for a `--drafts` preview) but are never suggested.
pub fn suggest_all(site: &Site) -> Vec<Vec<Suggestion>> {
    let index = Index::new(site);
    let per_firm = site.config.partners_per_firm;
    let n = site.firms.len();
    (0..n).into_par_iter().map_init(|| Scratch::new(n), |scratch, fi| index.suggest(fi, per_firm, scratch)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::model::{Contact, Cooperation, Sector, Translated};

    pub(crate) fn firm(slug: &str, offers: &[&str], needs: &[&str]) -> Firm {
        Firm {
            slug: slug.into(),
            name: Translated::new(slug.into()),
            kind: Kind::Ikm,
            sector: Some(Sector::MakananMinuman),
            scale: Some(Scale::Kecil),
            district: District::CimahiUtara,
            subdistrict: None,
            summary: Translated::new(String::new()),
            address: None,
            founded: None,
            employees: None,
            contact: Contact::default(),
            certifications: vec![],
            markets: vec![],
            offers: offers.iter().map(|s| s.to_string()).collect(),
            needs: needs.iter().map(|s| s.to_string()).collect(),
            cooperation: vec![],
            partners: vec![],
            exclude_partners: vec![],
            logo: None,
            photos: vec![],
            updated: None,
            draft: false,
            description: Translated::default(),
            products: vec![],
            assets: vec![],
            source: String::new(),
        }
    }

    fn site(firms: Vec<Firm>) -> Site {
        let firms = firms.into_iter().map(std::sync::Arc::new).collect();
        Site {
            config: SiteConfig::new("t", "https://x.example"),
            vocabulary: Vocabulary::default(),
            home: Default::default(),
            pages: vec![],
            firms,
            events: vec![],
            today: crate::model::Date { year: 2026, month: 12, day: 1 },
        }
    }

    #[test]
    fn mutual_beats_one_way() {
        let s = site(vec![firm("a", &["x"], &["y"]), firm("b", &["y"], &["x"]), firm("c", &["y"], &[])]);
        let out = suggest_all(&s);
        let slugs: Vec<_> = out[0].iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, ["b", "c"]);
        assert!(out[0][0].score > out[0][1].score);
        assert_eq!(
            out[0][0].reasons[..2],
            [Reason::Supplies { tags: vec!["y".into()] }, Reason::Buys { tags: vec!["x".into()] }]
        );
    }

    /// A tag that more firms share than a walk takes (the QA catalogue of
    /// 2026-12-04): `x` and `zz-far` supply each other, while 256 firms near
    /// `x` need both tags. Walking the crowded lists nearest first misses
    /// one direction of the mutual pair; it must still lead both lists.
    #[test]
    fn a_mutual_partner_survives_a_crowded_tag() {
        let mut x = firm("x", &["h2"], &["h1"]);
        x.subdistrict = Some("Cibabat".into());
        let mut far = firm("zz-far", &["h1"], &["h2"]);
        far.district = District::CimahiSelatan;
        let mut firms = vec![x, far];
        for i in 0..POSTING_CAP {
            let mut n = firm(&format!("n-{i:03}"), &[], &["h1", "h2"]);
            n.subdistrict = Some("Cibabat".into());
            firms.push(n);
        }
        firms.sort_by(|a, b| a.slug.cmp(&b.slug));
        let s = site(firms);
        let out = suggest_all(&s);
        let first = |slug: &str| out[s.firm_index(slug).unwrap()][0].slug.clone();
        assert_eq!(first("x"), "zz-far");
        assert_eq!(first("zz-far"), "x");
    }

    /// Equal candidates beyond what a walk takes are still chosen by slug,
    /// across kelurahan and kecamatan (SPEC 7: ties broken by slug).
    #[test]
    fn ties_in_a_crowded_tag_are_broken_by_slug() {
        let kelurahan = ["Cibabat", "Cipageran", "Citeureup", "Pasirkaliki"];
        let mut firms = Vec::new();
        for i in 0..(2 * POSTING_CAP + 7) {
            let mut f = firm(&format!("s-{i:03}"), &["s"], &[]);
            f.subdistrict = Some(kelurahan[(i * 7 + 3) % 4].into());
            firms.push(f);
        }
        let mut buyer = firm("zz-buyer", &[], &["s"]);
        buyer.district = District::CimahiSelatan;
        firms.push(buyer);
        let s = site(firms);
        let out = suggest_all(&s);
        let slugs: Vec<&str> = out[s.firms.len() - 1].iter().map(|g| g.slug.as_str()).collect();
        let expected: Vec<String> = (0..s.config.partners_per_firm).map(|i| format!("s-{i:03}")).collect();
        assert_eq!(slugs, expected);
        // And each supplier's one buyer is found whatever its place.
        assert!(out.iter().take(s.firms.len() - 1).all(|l| l.len() == 1 && l[0].slug == "zz-buyer"));
    }

    #[test]
    fn no_link_no_suggestion_and_exclusions() {
        let mut a = firm("a", &["x"], &["y"]);
        a.exclude_partners = vec!["c".into()];
        let mut d = firm("d", &["y"], &[]);
        d.draft = true;
        let s = site(vec![a, firm("b", &[], &[]), firm("c", &["y"], &[]), d, firm("e", &["y"], &[])]);
        let out = suggest_all(&s);
        let slugs: Vec<_> = out[0].iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, ["e"]);
        assert!(out[1].is_empty());
    }

    fn with_material(mut f: Firm, material: &str) -> Firm {
        f.products.push(crate::model::Product {
            slug: "p".into(),
            firm: f.slug.clone(),
            name: Translated::new("P".into()),
            category: "c".into(),
            price: None,
            unit: None,
            moq: None,
            capacity: None,
            materials: vec![material.into()],
            tags: vec![],
            certifications: vec![],
            images: vec![],
            draft: false,
            body: Translated::default(),
            updated: None,
            source: String::new(),
        });
        f
    }

    /// Two cassava firms that both grow and sell cassava and make their
    /// products from it are no suppliers of each other (the sample's Rasi
    /// Cireundeu and Sampeu Mekar were each other's first suggestion).
    #[test]
    fn a_material_the_firm_offers_itself_is_no_need() {
        let (vocabulary, d) = crate::vocabulary::parse(&crate::source::SourceFile::new(
            "v.yaml",
            "pangan:\n  label: Pangan\n  children: [singkong]\nsingkong:\n  label: Singkong\n",
        ));
        assert!(d.is_empty(), "{d:?}");
        let a = with_material(firm("a", &["singkong"], &[]), "singkong");
        let b = with_material(firm("b", &["singkong"], &[]), "singkong");
        // Offers the parent: its material is its own offer through the hierarchy.
        let c = with_material(firm("c", &["pangan"], &[]), "singkong");
        // Needs cassava for its crisps and offers none: a real buyer.
        let d = with_material(firm("d", &["keripik"], &[]), "singkong");
        assert_eq!(needs(&vocabulary, &a), Vec::<String>::new());
        assert_eq!(needs(&vocabulary, &c), Vec::<String>::new());
        assert_eq!(needs(&vocabulary, &d), ["singkong"]);
        // A need written in the profile still counts.
        let e = with_material(firm("e", &["singkong"], &["singkong"]), "singkong");
        assert_eq!(needs(&vocabulary, &e), ["singkong"]);
        let mut s = site(vec![a, b, c, d]);
        s.vocabulary = vocabulary;
        let out = suggest_all(&s);
        let slugs = |i: usize| out[i].iter().map(|x| x.slug.as_str()).collect::<Vec<_>>();
        assert_eq!(slugs(0), ["d"], "a sells to d, and does not buy from b or c");
        assert_eq!(slugs(1), ["d"]);
        assert_eq!(slugs(2), ["d"]);
        assert_eq!(out[0][0].reasons[0], Reason::Buys { tags: vec!["singkong".into()] });
        let mut d_slugs = slugs(3);
        d_slugs.sort();
        assert_eq!(d_slugs, ["a", "b", "c"]);
        for s in &out[3] {
            assert!(matches!(s.reasons[0], Reason::Supplies { .. }), "{:?}", s.reasons);
            assert!(!s.reasons.iter().any(|r| matches!(r, Reason::Buys { .. })), "{:?}", s.reasons);
        }
    }

    #[test]
    fn packed_refinement_matches_the_exact_one() {
        let kinds = [
            (Kind::Ikm, Some(Scale::Kecil)),
            (Kind::Ikm, Some(Scale::Menengah)),
            (Kind::Industry, Some(Scale::Besar)),
            (Kind::Bank, None),
        ];
        let places = [
            (District::CimahiUtara, Some("Cibabat")),
            (District::CimahiUtara, None),
            (District::CimahiSelatan, Some("Melong")),
        ];
        let coops =
            [vec![], vec![Cooperation::Pemasok], vec![Cooperation::Pemasok, Cooperation::Riset, Cooperation::Waralaba]];
        let mut all = Vec::new();
        for (k, s) in kinds {
            for (d, kel) in places {
                for c in &coops {
                    let mut f = firm("x", &[], &[]);
                    (f.kind, f.scale, f.district, f.subdistrict, f.cooperation) =
                        (k, s, d, kel.map(String::from), c.clone());
                    all.push(f);
                }
            }
        }
        for a in &all {
            for b in &all {
                let shared = a.cooperation.iter().filter(|m| b.cooperation.contains(m)).count().min(2) as f64;
                let exact = if is_linkage(a, b) { LINKAGE_BONUS } else { 0.0 }
                    + COOPERATION_BONUS * shared
                    + match nearby(a, b) {
                        Some(Near::Kelurahan) => KELURAHAN_BONUS,
                        Some(Near::Kecamatan) => KECAMATAN_BONUS,
                        None => 0.0,
                    };
                assert!((f64::from(refinement(Traits::of(a), Traits::of(b))) - exact).abs() < 1e-6, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn linkage_pairs() {
        let mut a = firm("a", &[], &[]);
        let mut b = firm("b", &[], &[]);
        assert_eq!(linkage(&a, &b), None);
        b.kind = Kind::Industry;
        b.scale = Some(Scale::Besar);
        assert_eq!(linkage(&a, &b), Some(("kecil".into(), "besar".into())));
        b.kind = Kind::Bank;
        b.scale = None;
        assert_eq!(linkage(&a, &b), Some(("kecil".into(), "bank".into())));
        a.kind = Kind::Industry;
        a.scale = Some(Scale::Besar);
        assert_eq!(linkage(&a, &b), None);
    }
}
