//! Sentences and paragraphs of minutes, with topic phrases planted on purpose.
//!
//! General sentences come from the hand-written lists in `vocab` plus Zipf-drawn
//! pseudo-words; topic sentences put one of the topic's phrases into a template. Apostrophes
//! are written straight here; a page turns them curly as a whole when its style says so.

use super::rng::Rng;
use super::vocab::{self, capitalise, Topic, TOPICS};
use super::world::Council;
use std::fmt::Write as _;

/// What a text needs to know about where it is written.
pub struct Ctx<'a> {
    pub council: &'a Council,
    pub year: i32,
    /// Between sentences: one space, or two on pages typed that way.
    pub gap: &'static str,
}

/// Per-item memory: which topics' acronyms have been introduced already.
#[derive(Default)]
pub struct Voice {
    introduced: u32,
}

pub fn pseudo(rng: &mut Rng) -> &'static str {
    &vocab::pseudo_words()[rng.zipf(vocab::PSEUDO_WORDS)]
}

/// A councillor's name as minutes write it ("Councillor A Pemwood").
pub fn councillor(rng: &mut Rng, c: &Council) -> String {
    let full = rng.pick_ref(&c.councillors);
    let (first, last) = full.split_once(' ').unwrap_or(("A", full));
    format!("Councillor {} {last}", &first[..1])
}

/// An officer's name with role.
pub fn officer(rng: &mut Rng, c: &Council) -> String {
    let i = rng.below(vocab::ROLES.len());
    format!("{}, {}", c.officers[i], vocab::ROLES[i])
}

fn noun_phrase(rng: &mut Rng, out: &mut String) {
    out.push_str(rng.pick(vocab::DETERMINERS));
    out.push(' ');
    if rng.chance(0.45) {
        out.push_str(rng.pick(vocab::ADJECTIVES));
        out.push(' ');
    }
    if rng.chance(0.15) {
        out.push_str(pseudo(rng));
        out.push(' ');
    }
    out.push_str(rng.pick(vocab::NOUNS));
}

fn clause(rng: &mut Rng, out: &mut String) {
    noun_phrase(rng, out);
    out.push(' ');
    out.push_str(rng.pick(vocab::VERB_PHRASES));
    if rng.chance(0.5) {
        out.push(' ');
        out.push_str(rng.pick(vocab::TAILS));
    }
}

fn number(rng: &mut Rng) -> usize {
    let n = rng.lognormal(40.0, 1.1) as usize;
    n.clamp(2, 4000)
}

/// One general sentence (no topic phrase), ending with a full stop.
pub fn general_sentence(rng: &mut Rng, ctx: &Ctx, out: &mut String) {
    let k = rng.below(100);
    match k {
        0..=44 => {
            out.push_str(rng.pick(vocab::OPENERS));
            out.push(' ');
            clause(rng, out);
        }
        45..=59 => {
            let start = out.len();
            clause(rng, out);
            let cap = capitalise(&out[start..]);
            out.truncate(start);
            out.push_str(&cap);
        }
        60..=68 => {
            let (a, b) = (number(rng), number(rng));
            let _ = write!(
                out,
                "{a} {} were recorded in {}, compared with {b} in {}",
                rng.pick(vocab::PLURALS),
                rng.pick(vocab::PERIODS),
                rng.pick(vocab::PERIODS)
            );
        }
        69..=74 => {
            let (a, b) = (rng.range(20, 2400), rng.range(5, 400));
            let _ = write!(
                out,
                "The projected {} on {} was £{a}k, a change of £{b}k since {}",
                rng.pick(&["overspend", "underspend"]),
                rng.pick(vocab::NOUNS),
                rng.pick(&super::calendar::MONTHS)
            );
        }
        75..=80 => {
            let _ = write!(
                out,
                "{}% of {} were completed within timescale, against a target of {}%",
                rng.range(40, 99),
                rng.pick(vocab::PLURALS),
                rng.range(60, 95)
            );
        }
        81..=88 => {
            let name = capitalise(pseudo(rng));
            let _ = write!(
                out,
                "The {name} {} {}",
                rng.pick(&["project", "programme", "centre", "initiative", "partnership", "pilot"]),
                rng.pick(vocab::VERB_PHRASES)
            );
        }
        89..=92 => {
            let _ = write!(
                out,
                "One young person described the {} as ‘{}’",
                rng.pick(vocab::NOUNS),
                rng.pick(vocab::QUOTES)
            );
        }
        _ => {
            if rng.chance(0.5) {
                let _ = write!(out, "{} presented the report", officer(rng, ctx.council));
            } else {
                let _ = write!(out, "{} asked about ", councillor(rng, ctx.council));
                noun_phrase(rng, out);
            }
        }
    }
    out.push('.');
}

fn topic_weight_for_year(key: &str, year: i32) -> f64 {
    match key {
        "criminal_exploitation" if year < 2014 => 0.15,
        "cse" if (2012..=2017).contains(&year) => 2.0,
        "uasc" if year < 2015 => 0.3,
        "home_education" if year < 2018 => 0.5,
        "online_safety" if year < 2012 => 0.5,
        _ => 1.0,
    }
}

/// Draws `n` distinct topics with Zipf-like popularity, adjusted by year.
pub fn draw_topics(rng: &mut Rng, year: i32, n: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(n);
    let weights: Vec<f64> = TOPICS
        .iter()
        .enumerate()
        .map(|(i, t)| topic_weight_for_year(t.key, year) / ((i + 1) as f64).powf(0.8))
        .collect();
    while out.len() < n {
        let cum =
            super::rng::cumulative(weights.iter().enumerate().map(|(i, w)| if out.contains(&i) { 0.0 } else { *w }));
        out.push(rng.weighted(&cum));
    }
    out
}

/// Phrases of a topic usable in a given year (names changed over time).
fn usable(t: &Topic, year: i32, p: &str) -> bool {
    match (t.key, p) {
        ("safeguarding_partnership", "safeguarding children partnership") => year >= 2019,
        ("safeguarding_partnership", "LSCB" | "Local Safeguarding Children Board") => year < 2019,
        ("practice_reviews", "serious case review" | "serious case reviews" | "SCR") => year < 2020,
        ("practice_reviews", "child safeguarding practice review" | "rapid review") => year >= 2018,
        ("online_safety", "e-safety") => year < 2016,
        _ => true,
    }
}

/// One mention of a topic; the first mention of a topic with acronyms introduces one:
/// "child sexual exploitation (CSE)".
pub fn topic_phrase(rng: &mut Rng, year: i32, topic: usize, voice: &mut Voice, out: &mut String) {
    let t = &TOPICS[topic];
    let phrases: Vec<&str> = t.phrases.iter().copied().filter(|p| usable(t, year, p)).collect();
    let acronyms: Vec<&str> = t.acronyms.iter().copied().filter(|p| usable(t, year, p)).collect();
    let phrases = if phrases.is_empty() { t.phrases.to_vec() } else { phrases };
    let bit = 1u32 << topic;
    if acronyms.is_empty() {
        let p = rng.pick(&phrases);
        write_phrase(rng, t, p, out);
    } else if voice.introduced & bit == 0 {
        voice.introduced |= bit;
        let _ = write!(out, "{} ({})", phrases[0], acronyms[0]);
    } else if rng.chance(0.55) {
        out.push_str(rng.pick(&acronyms));
    } else {
        let p = rng.pick(&phrases);
        write_phrase(rng, t, p, out);
    }
}

fn write_phrase(rng: &mut Rng, t: &Topic, p: &str, out: &mut String) {
    // The one hyphenation variant: tokens are identical, so counts are too.
    if t.key == "uasc" && rng.chance(0.5) {
        out.push_str("unaccompanied asylum-seeking children");
    } else {
        out.push_str(p);
    }
}

/// One sentence mentioning `topic` once or twice.
pub fn topic_sentence(rng: &mut Rng, ctx: &Ctx, topic: usize, voice: &mut Voice, out: &mut String) {
    let unit = TOPICS[topic].unit;
    let mut p = String::with_capacity(48);
    topic_phrase(rng, ctx.year, topic, voice, &mut p);
    let (a, b) = (number(rng), number(rng));
    let start = out.len();
    let _ = match rng.below(18) {
        0 => write!(
            out,
            "Officers reported that {a} {p} {unit} had been recorded in {}, compared with {b} in {}.",
            rng.pick(vocab::PERIODS),
            rng.pick(vocab::PERIODS)
        ),
        1 => write!(out, "Members asked how the service identified {p} at an earlier stage."),
        2 => write!(out, "The report set out the work undertaken on {p} since the last meeting."),
        3 => write!(out, "{p} remained one of the Board's priorities for the coming year."),
        4 => write!(out, "Training on {p} had been delivered to {a} practitioners across the partnership."),
        5 => write!(out, "Members sought assurance that the response to {p} was consistent across all localities."),
        6 => write!(
            out,
            "The {} pilot had focused on {p} in the {} area.",
            capitalise(pseudo(rng)),
            capitalise(pseudo(rng))
        ),
        7 => write!(
            out,
            "It was noted that the multi-agency audit of {p} had identified {} areas for development.",
            rng.range(2, 9)
        ),
        8 => write!(out, "A Member asked whether schools were confident in recognising {p}."),
        9 => write!(out, "The lead officer explained that data on {p} was now reported to the Panel each quarter."),
        10 => write!(out, "Partners agreed that {p} should remain a standing item on the agenda."),
        11 => write!(out, "The action plan for {p} had {a} actions, of which {} were complete.", a.min(b)),
        12 => write!(out, "The Council's approach to {p} had been reviewed by an external adviser."),
        13 => write!(out, "Children's experience of {p} was described in two anonymised case studies."),
        14 => {
            let mut q = String::new();
            topic_phrase(rng, ctx.year, topic, voice, &mut q);
            write!(
                out,
                "Work on {p} was led by a dedicated team, and the number of {q} {unit} had {} {}.",
                rng.pick(&["risen", "fallen", "remained stable"]),
                rng.pick(vocab::TAILS)
            )
        }
        15 => write!(out, "{} asked what more could be done about {p}.", councillor(rng, ctx.council)),
        16 => write!(out, "Feedback from young people on {p} had shaped the revised {}.", rng.pick(vocab::NOUNS)),
        _ => write!(
            out,
            "In {} there were {a} {unit} linked to {p}, {} on the same period last year.",
            rng.pick(vocab::PERIODS),
            rng.pick(&["an increase", "a decrease", "little change"])
        ),
    };
    // Sentence-initial phrase: capitalise (acronyms are already upper case).
    if out[start..].starts_with(|c: char| c.is_ascii_lowercase()) {
        let cap = capitalise(&out[start..]);
        out.truncate(start);
        out.push_str(&cap);
    }
}

/// A paragraph of `n` sentences; each topic sentence is chosen with probability `rate`
/// (cycling through `topics`).
pub fn paragraph(rng: &mut Rng, ctx: &Ctx, topics: &[usize], rate: f64, n: usize, voice: &mut Voice) -> String {
    let mut out = String::with_capacity(n * 110);
    let mut turn = rng.below(topics.len().max(1));
    for i in 0..n {
        if i > 0 {
            out.push_str(ctx.gap);
        }
        if !topics.is_empty() && rng.chance(rate) {
            topic_sentence(rng, ctx, topics[turn % topics.len()], voice, &mut out);
            turn += 1;
        } else {
            general_sentence(rng, ctx, &mut out);
        }
    }
    out
}

/// A short bullet point (no full stop), optionally about a topic.
pub fn bullet(rng: &mut Rng, ctx: &Ctx, topic: Option<usize>, voice: &mut Voice) -> String {
    let mut out = String::with_capacity(80);
    match topic {
        Some(t) => {
            let mut p = String::new();
            topic_phrase(rng, ctx.year, t, voice, &mut p);
            let _ = write!(
                out,
                "{} {p} {}",
                rng.pick(&["Progress on", "Data on", "Feedback about", "Next steps for"]),
                rng.pick(vocab::TAILS)
            );
        }
        None => {
            clause(rng, &mut out);
            out = capitalise(&out);
        }
    }
    out
}

/// A resolution sentence, possibly about the item's first topic.
pub fn resolution(rng: &mut Rng, ctx: &Ctx, topics: &[usize], voice: &mut Voice) -> String {
    match topics.first() {
        Some(&t) if rng.chance(0.5) => {
            let mut p = String::new();
            topic_phrase(rng, ctx.year, t, voice, &mut p);
            format!("That the progress made on {p} be noted and a further report be brought to a future meeting.")
        }
        _ => rng.pick(vocab::RESOLUTIONS).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::count::PhraseCounter;
    use super::super::world::World;
    use super::*;

    #[test]
    fn general_text_holds_no_topic_phrase() {
        let w = World::new(3, 3, 15, 2005, 2025);
        let ctx = Ctx { council: &w.councils[0], year: 2015, gap: " " };
        let mut rng = Rng::new(5);
        let mut voice = Voice::default();
        let text: String = (0..3000).map(|_| paragraph(&mut rng, &ctx, &[], 0.0, 4, &mut voice) + "\n").collect();
        let counts = PhraseCounter::global().count_map(&text);
        assert!(counts.is_empty(), "{counts:?}");
    }

    #[test]
    fn topic_text_mentions_its_topic() {
        let w = World::new(3, 3, 15, 2005, 2025);
        let ctx = Ctx { council: &w.councils[0], year: 2020, gap: " " };
        let mut rng = Rng::new(6);
        for (i, t) in TOPICS.iter().enumerate() {
            let mut voice = Voice::default();
            let p = paragraph(&mut rng, &ctx, &[i], 1.0, 3, &mut voice);
            let counts = PhraseCounter::global().count_map(&p);
            let own: u32 = t.phrases.iter().chain(t.acronyms).filter_map(|ph| counts.get(*ph)).sum();
            assert!(own >= 3, "{}: {p}", t.key);
        }
    }
}
