//! Word lists: the safeguarding topics and their phrases, the general language of minutes,
//! committee-name patterns, name parts, and a Zipf tail of generated pseudo-words.
//!
//! Everything here is written for this project. The general lists deliberately avoid every
//! word of a topic phrase that could complete one (and the lower-case forms of the acronyms,
//! e.g. "send", "prevent", "mash"), so a topic phrase appears only where the generator puts
//! it on purpose and case-insensitive counts equal case-sensitive ones for acronyms.

use std::collections::HashSet;
use std::sync::OnceLock;

/// One safeguarding topic (keys as in DESIGN.md).
#[derive(Debug)]
pub struct Topic {
    pub key: &'static str,
    /// Phrases written in prose, in the case they are written (counted case-insensitively).
    pub phrases: &'static [&'static str],
    /// Acronyms, introduced in brackets after the first phrase (also counted).
    pub acronyms: &'static [&'static str],
    /// Title stems for agenda items and report sections.
    pub titles: &'static [&'static str],
    /// What the topic's numbers count ("12 domestic abuse incidents").
    pub unit: &'static str,
}

/// The 27 topics, most popular first: the generator weights them by 1/rank^0.8.
pub const TOPICS: &[Topic] = &[
    Topic {
        key: "looked_after",
        phrases: &["looked after children", "children in care"],
        acronyms: &["LAC", "CLA"],
        titles: &[
            "Looked After Children",
            "Children in Care Performance",
            "Independent Reviewing Officer Service",
            "Placement Stability for Children in Care",
        ],
        unit: "placements",
    },
    Topic {
        key: "child_protection",
        phrases: &["child protection plan", "child protection plans", "child protection conference", "section 47"],
        acronyms: &[],
        titles: &[
            "Child Protection Activity",
            "Child Protection Conferences",
            "Children Subject to a Child Protection Plan",
        ],
        unit: "enquiries",
    },
    Topic {
        key: "domestic_abuse",
        phrases: &["domestic abuse", "domestic violence", "coercive control"],
        acronyms: &["DA", "DV"],
        titles: &["Domestic Abuse", "Domestic Abuse Strategy", "Tackling Domestic Violence"],
        unit: "incidents",
    },
    Topic {
        key: "cse",
        phrases: &["child sexual exploitation", "sexual exploitation"],
        acronyms: &["CSE"],
        titles: &["Child Sexual Exploitation", "CSE Sub-Group", "Responding to Sexual Exploitation"],
        unit: "cases",
    },
    Topic {
        key: "early_help",
        phrases: &["early help", "Troubled Families", "family hubs"],
        acronyms: &[],
        titles: &["Early Help Offer", "Early Help Strategy", "Family Hubs"],
        unit: "families",
    },
    Topic {
        key: "safeguarding_partnership",
        phrases: &[
            "safeguarding children partnership",
            "Local Safeguarding Children Board",
            "safeguarding children board",
        ],
        acronyms: &["LSCB"],
        titles: &[
            "Safeguarding Children Partnership Arrangements",
            "LSCB Business Plan",
            "Safeguarding Children Board Annual Report",
        ],
        unit: "audits",
    },
    Topic {
        key: "mash_referrals",
        phrases: &["multi-agency safeguarding hub", "referrals"],
        acronyms: &["MASH"],
        titles: &["MASH Performance", "Multi-Agency Safeguarding Hub", "Contacts and Referrals"],
        unit: "contacts",
    },
    Topic {
        key: "missing",
        phrases: &["missing children", "missing from home", "missing from care", "return home interviews"],
        acronyms: &[],
        titles: &["Missing Children", "Children Missing from Home and Care", "Return Home Interviews"],
        unit: "episodes",
    },
    Topic {
        key: "ofsted",
        phrases: &["Ofsted", "focused visit"],
        acronyms: &["ILACS"],
        titles: &["Ofsted Inspection Outcome", "Ofsted Focused Visit", "Inspection Readiness"],
        unit: "judgements",
    },
    Topic {
        key: "criminal_exploitation",
        phrases: &["county lines", "criminal exploitation", "gangs"],
        acronyms: &["CCE"],
        titles: &["County Lines", "Child Criminal Exploitation", "Gangs and Serious Youth Violence"],
        unit: "cases",
    },
    Topic {
        key: "care_leavers",
        phrases: &["care leavers", "leaving care", "care experienced"],
        acronyms: &[],
        titles: &["Care Leavers Local Offer", "Leaving Care Service", "Support for Care Leavers"],
        unit: "young people",
    },
    Topic {
        key: "mental_health",
        phrases: &["mental health", "emotional wellbeing"],
        acronyms: &["CAMHS"],
        titles: &["Children's Mental Health", "CAMHS Transformation Plan", "Emotional Wellbeing Services"],
        unit: "assessments",
    },
    Topic {
        key: "fostering",
        phrases: &["fostering", "foster carers", "foster care"],
        acronyms: &[],
        titles: &["Fostering Service Annual Report", "Foster Carer Recruitment", "Fostering Sufficiency"],
        unit: "households",
    },
    Topic {
        key: "adoption",
        phrases: &["adoption", "adopters", "regional adoption agency"],
        acronyms: &[],
        titles: &["Adoption Service Report", "Regional Adoption Agency", "Adoption Performance"],
        unit: "matches",
    },
    Topic {
        key: "send",
        phrases: &["special educational needs"],
        acronyms: &["SEND", "EHCP"],
        titles: &["SEND Strategy", "Special Educational Needs", "EHCP Timeliness"],
        unit: "assessments",
    },
    Topic {
        key: "neglect",
        phrases: &["neglect", "graded care profile"],
        acronyms: &[],
        titles: &["Neglect Strategy", "Tackling Neglect", "Neglect Audit Findings"],
        unit: "cases",
    },
    Topic {
        key: "workforce",
        phrases: &["workforce", "agency social workers", "caseloads"],
        acronyms: &[],
        titles: &["Workforce Development", "Social Work Workforce", "Recruitment and Retention of Social Workers"],
        unit: "posts",
    },
    Topic {
        key: "youth_justice",
        phrases: &["youth justice", "youth offending"],
        acronyms: &["YOT"],
        titles: &["Youth Justice Plan", "Youth Offending Service", "Youth Justice Performance"],
        unit: "disposals",
    },
    Topic {
        key: "practice_reviews",
        phrases: &["serious case review", "serious case reviews", "child safeguarding practice review", "rapid review"],
        acronyms: &["SCR"],
        titles: &["Serious Case Review", "Learning from Child Safeguarding Practice Reviews", "Rapid Review Findings"],
        unit: "reviews",
    },
    Topic {
        key: "lado",
        phrases: &["allegations against staff", "designated officer"],
        acronyms: &["LADO"],
        titles: &["LADO Annual Report", "Managing Allegations Against Staff", "Designated Officer Activity"],
        unit: "allegations",
    },
    Topic {
        key: "online_safety",
        phrases: &["online safety", "e-safety", "online abuse"],
        acronyms: &[],
        titles: &["Online Safety", "E-Safety in Schools", "Online Abuse"],
        unit: "incidents",
    },
    Topic {
        key: "private_fostering",
        phrases: &["private fostering", "privately fostered"],
        acronyms: &[],
        titles: &["Private Fostering Annual Report", "Private Fostering Arrangements"],
        unit: "arrangements",
    },
    Topic {
        key: "uasc",
        phrases: &["unaccompanied asylum seeking children"],
        acronyms: &["UASC"],
        titles: &["Unaccompanied Asylum Seeking Children", "UASC National Transfer Scheme"],
        unit: "arrivals",
    },
    Topic {
        key: "prevent",
        phrases: &["Prevent", "radicalisation", "Channel panel"],
        acronyms: &[],
        titles: &["Prevent Duty", "Radicalisation and Prevent", "Channel Panel"],
        unit: "cases",
    },
    Topic {
        key: "trafficking",
        phrases: &["trafficking", "modern slavery"],
        acronyms: &["NRM"],
        titles: &["Modern Slavery Statement", "Child Trafficking", "Modern Slavery"],
        unit: "victims",
    },
    Topic {
        key: "home_education",
        phrases: &["elective home education", "home educated"],
        acronyms: &["EHE"],
        titles: &["Elective Home Education", "Children Home Educated", "EHE Annual Report"],
        unit: "children",
    },
    Topic {
        key: "fgm",
        phrases: &["female genital mutilation"],
        acronyms: &["FGM"],
        titles: &["Female Genital Mutilation", "FGM Protocol"],
        unit: "cases",
    },
];

/// Every counted phrase, in topic order: (topic key, phrase as listed). These are the keys of
/// `phrase_counts` in planted.jsonl.
pub fn all_phrases() -> Vec<(&'static str, &'static str)> {
    TOPICS.iter().flat_map(|t| t.phrases.iter().chain(t.acronyms.iter()).map(move |p| (t.key, *p))).collect()
}

/// Lower-cased tokens of every counted phrase: words the general lists and pseudo-words avoid.
pub fn phrase_tokens() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| all_phrases().iter().flat_map(|(_, p)| super::count::tokens(p)).collect())
}

// ---------------------------------------------------------------- general minutes language

pub const OPENERS: &[&str] = &[
    "Officers reported that",
    "The Committee noted that",
    "Members asked whether",
    "The Chair explained that",
    "It was confirmed that",
    "The Director advised that",
    "In response to a question, officers confirmed that",
    "Members were informed that",
    "A Member queried whether",
    "The Panel heard that",
    "It was noted that",
    "The Head of Service stated that",
    "Concern was expressed that",
    "Assurance was sought that",
    "Partners highlighted that",
    "The Cabinet Member advised that",
    "The report explained that",
    "Members were advised that",
    "The Assistant Director acknowledged that",
    "In discussion, it was suggested that",
    "The independent chair observed that",
    "Officers undertook to confirm whether",
    "The service manager added that",
    "Members commented that",
    "It was reported that",
    "The lead officer clarified that",
    "The Committee was reminded that",
    "Further to the last meeting, officers explained that",
    "Responding to Members, the Director said that",
    "The Board was told that",
];

pub const DETERMINERS: &[&str] =
    &["the", "the", "the", "the", "this", "the new", "the Council's", "the partnership's", "each", "the revised"];

pub const ADJECTIVES: &[&str] = &[
    "overall",
    "local",
    "annual",
    "quarterly",
    "national",
    "regional",
    "additional",
    "strategic",
    "statutory",
    "operational",
    "joint",
    "independent",
    "detailed",
    "updated",
    "interim",
    "final",
    "draft",
    "proposed",
    "wider",
    "specialist",
    "targeted",
    "universal",
    "integrated",
    "planned",
    "recent",
    "sustained",
    "consistent",
    "effective",
    "robust",
    "positive",
    "complex",
    "increasing",
    "reduced",
    "improved",
    "multi-agency",
    "cross-party",
    "long-term",
    "short-term",
    "co-ordinated",
    "front-line",
    "place-based",
    "school-based",
    "community-based",
    "evidence-based",
    "citywide",
    "countywide",
    "borough-wide",
];

pub const NOUNS: &[&str] = &[
    "report",
    "strategy",
    "action plan",
    "budget",
    "service",
    "team",
    "pathway",
    "framework",
    "protocol",
    "audit",
    "assessment",
    "dashboard",
    "scorecard",
    "programme",
    "project",
    "offer",
    "model",
    "approach",
    "process",
    "forum",
    "consultation",
    "survey",
    "workshop",
    "training programme",
    "recruitment campaign",
    "commissioning plan",
    "provision",
    "capacity",
    "demand",
    "risk register",
    "data set",
    "evidence base",
    "feedback",
    "improvement plan",
    "quality assurance framework",
    "sub-group",
    "working group",
    "task and finish group",
    "pilot",
    "contract",
    "tender",
    "grant",
    "funding formula",
    "allocation",
    "target",
    "indicator",
    "outcome measure",
    "baseline",
    "timetable",
    "policy",
    "guidance",
    "procedure",
    "threshold document",
    "escalation policy",
    "transition protocol",
    "performance report",
    "business plan",
    "needs analysis",
    "benchmarking exercise",
    "peer challenge",
    "practice standard",
    "supervision policy",
    "case file audit",
    "complaints process",
    "advocacy contract",
    "participation strategy",
    "youth council",
    "school nursing service",
    "health visiting service",
    "placement strategy",
    "sufficiency statement",
];

pub const PLURALS: &[&str] = &[
    "assessments",
    "contacts",
    "visits",
    "complaints",
    "cases",
    "audits",
    "vacancies",
    "young people",
    "families",
    "schools",
    "applications",
    "practitioners",
    "reviews",
    "meetings",
    "plans",
    "cases open to the service",
    "compliments",
    "training sessions",
];

pub const VERB_PHRASES: &[&str] = &[
    "had improved",
    "had been agreed",
    "would be reviewed",
    "was being monitored closely",
    "remained under review",
    "had been delayed",
    "was broadly on track",
    "had been shared with partners",
    "would be presented to a future meeting",
    "was expected to be completed",
    "had been strengthened",
    "had been refreshed",
    "reflected the views of young people",
    "had not yet been finalised",
    "was subject to further consultation",
    "had exceeded the agreed target",
    "had fallen short of the agreed target",
    "was comparable with statistical neighbours",
    "compared favourably with the national average",
    "was below the regional average",
    "had been well received by schools",
    "required further work",
    "would be circulated to Members",
    "had been endorsed by the Board",
    "needed to be embedded across all teams",
    "was funded until the end of the year",
    "had been signed off by the Director",
    "would be tested with a small number of schools",
];

pub const TAILS: &[&str] = &[
    "during the last quarter",
    "over the past year",
    "since the previous meeting",
    "by the end of the financial year",
    "in the coming months",
    "across the borough",
    "across the county",
    "across the city",
    "in line with the agreed timetable",
    "following the recent restructure",
    "within existing resources",
    "as part of the annual cycle",
    "before the summer recess",
    "in partnership with health colleagues",
    "with support from the voluntary sector",
    "subject to the outcome of the consultation",
    "at the request of the Committee",
    "after a period of sustained pressure",
];

pub const PERIODS: &[&str] = &[
    "the first quarter",
    "the second quarter",
    "the third quarter",
    "the fourth quarter",
    "the last six months",
    "the previous year",
    "the year to date",
];

pub const QUOTES: &[&str] = &[
    "really helpful",
    "somebody who actually listened",
    "the first time things felt settled",
    "too many changes of worker",
    "easy to talk to",
    "worth the wait",
];

pub const ROLES: &[&str] = &[
    "Director of Children's Services",
    "Assistant Director, Safeguarding and Quality",
    "Head of Children's Social Care",
    "Principal Social Worker",
    "Service Manager, Early Years",
    "Head of Education Services",
    "Independent Chair",
    "Democratic Services Officer",
    "Performance and Intelligence Manager",
    "Strategic Commissioning Manager",
];

// Item titles that carry no topic.
pub const GENERAL_ITEM_TITLES: &[&str] = &[
    "Budget Monitoring Report",
    "Performance Scorecard",
    "Children's Services Improvement Plan",
    "Complaints and Compliments Annual Report",
    "School Admissions Arrangements",
    "Sufficiency Strategy",
    "Capital Programme Update",
    "Participation and Engagement Strategy",
    "Quality Assurance Framework",
    "School Performance and Standards",
    "Commissioning Intentions",
    "Medium Term Financial Strategy",
    "Youth Council Update",
    "Annual Report of the Director of Public Health",
];

pub const TITLE_SUFFIXES: &[&str] =
    &["", " Update", " Annual Report", " - Progress Report", " Action Plan", " Performance Report", " Briefing"];

pub const RESOLUTIONS: &[&str] = &[
    "That the report be noted.",
    "That the progress made since the last meeting be noted.",
    "That officers provide a further update at a future meeting.",
    "That the comments of the Committee be forwarded to the Cabinet Member.",
    "That the recommendations set out in the report be approved.",
    "That the report be noted and a briefing be arranged for all Members.",
    "That the Chair write to partners setting out the concerns raised at the meeting.",
    "That the updated action plan be endorsed.",
];

pub const DECISION_STATUSES: &[&str] = &["Recommendations Approved", "Implemented", "For Determination", "Approved"];

pub const REPORT_SECTION_TITLES: &[&str] = &[
    "Introduction",
    "Local Context",
    "Governance and Accountability",
    "Learning and Improvement",
    "Voice of the Child",
    "Budget and Resources",
    "Priorities for the Year Ahead",
    "Conclusion",
];

pub const LEGACY_SECTION_TITLES: &[&str] = &[
    "PURPOSE OF REPORT",
    "RECOMMENDATIONS",
    "BACKGROUND",
    "FINANCIAL IMPLICATIONS",
    "LEGAL IMPLICATIONS",
    "CONSULTATION",
    "RISK MANAGEMENT",
    "CONCLUSION",
];

// ---------------------------------------------------------------- bodies and committees

pub const DECISION_MAKERS: &[&str] =
    &["Cabinet", "Executive", "Executive Board", "Leader and Cabinet", "Cabinet Member for Children's Services"];

pub const COMMITTEES: &[&str] = &[
    "Children and Young People Scrutiny Committee",
    "Children's Services Overview & Scrutiny Committee",
    "Corporate Parenting Panel",
    "Safeguarding Children Partnership Board",
    "Health and Wellbeing Board",
    "Children, Young People and Families Scrutiny Panel",
    "Children & Families Select Committee",
    "Corporate Parenting Board",
    "Education and Children's Services Scrutiny Board",
    "People Overview and Scrutiny Committee",
    "Corporate Parenting Committee",
    "Local Safeguarding Children Board",
    "Schools Forum",
    "Overview and Scrutiny Management Board",
    "Lifelong Learning Scrutiny Committee",
    "Communities Overview & Scrutiny Committee",
    "Audit and Governance Committee",
    "Council",
    "Young People's Scrutiny Sub-Committee",
    "Families' Services Improvement Board",
    "Children's Trust Board",
    "Learning and Achievement Scrutiny Panel",
    "Safer Communities Partnership Board",
    "Joint Health Overview & Scrutiny Committee",
    "Education, Skills & Children's Services Committee",
    "Children's Services Improvement Board",
    "Scrutiny Board (Children and Families)",
    "Overview and Scrutiny Task and Finish Group",
    "Adults and Children's Joint Scrutiny Committee",
    "Children's Social Care Performance Panel",
    "Policy and Resources Committee",
    "Standards Committee",
];

pub const PLACE_HEADS: &[&str] = &[
    "Brel", "Calm", "Dorn", "Elsk", "Fenn", "Gorr", "Hask", "Ilm", "Kelv", "Lunt", "Morv", "Nabb", "Ostr", "Pryd",
    "Quen", "Rist", "Skard", "Tavv", "Ulv", "Vell", "Wald", "Yarr", "Brack", "Corv", "Fald", "Gilm", "Harv", "Lint",
    "Mers", "Nant", "Pask", "Rudd", "Sefn", "Thrim", "Abb", "Belm", "Cres", "Dewl", "Ashw", "Fenm",
];
pub const PLACE_TAILS: &[&str] = &[
    "worth", "mere", "ford", "ley", "by", "wick", "ton", "ham", "stow", "combe", "field", "bury", "den", "hurst",
    "moor", "dale", "well", "bridge", "holme", "thorpe",
];
pub const PLACE_PREFIXES: &[&str] = &["", "", "", "", "", "North ", "South ", "East ", "West "];
pub const COUNCIL_KINDS: &[&str] =
    &["Borough Council", "County Council", "City Council", "Council", "Metropolitan Borough Council"];

pub const FIRST_NAMES: &[&str] = &[
    "Alison",
    "Andrew",
    "Angela",
    "Ben",
    "Carol",
    "Chris",
    "Claire",
    "Daniel",
    "David",
    "Deborah",
    "Emma",
    "Fiona",
    "Gareth",
    "Graham",
    "Hannah",
    "Helen",
    "Ian",
    "James",
    "Jane",
    "Jo",
    "Karen",
    "Kate",
    "Kevin",
    "Laura",
    "Lee",
    "Linda",
    "Mark",
    "Martin",
    "Michelle",
    "Nadia",
    "Neil",
    "Nicola",
    "Paul",
    "Priya",
    "Rachel",
    "Richard",
    "Robert",
    "Sam",
    "Sarah",
    "Simon",
    "Sophie",
    "Steve",
    "Tariq",
    "Tom",
    "Tracy",
    "Yusuf",
    "Zoe",
    "Amir",
    "Bernadette",
    "Colin",
];
pub const SURNAME_HEADS: &[&str] = &[
    "Ab", "Bar", "Cor", "Dal", "Ed", "Fair", "Gold", "Hal", "Ing", "Kin", "Lar", "Mor", "Nor", "Ord", "Pem", "Ram",
    "Sel", "Tal", "Ver", "War", "Ash", "Brad", "Crom", "Dun",
];
pub const SURNAME_TAILS: &[&str] = &[
    "bridge", "wood", "ridge", "ton", "ley", "ford", "well", "worth", "more", "sby", "man", "cott", "ham", "stone",
    "field", "dale",
];

pub const STREETS: &[&str] = &[
    "High Street",
    "Market Square",
    "Station Road",
    "Church Lane",
    "Civic Way",
    "Riverside",
    "Castle Street",
    "Park Road",
];
pub const ROOMS: &[&str] =
    &["Council Chamber", "Committee Room 1", "Committee Room 2", "Committee Room 3", "Members' Room", "Reception Room"];

// ---------------------------------------------------------------- pseudo-word tail

const ONSETS: &[&str] = &[
    "b", "br", "c", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "k", "l", "m", "n", "p", "pr", "r", "s", "st", "t",
    "tr", "v", "w", "sk", "sh", "th", "z",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "y"];
const CODAS: &[&str] = &["", "n", "r", "l", "s", "st", "nd", "rk", "m", "th", "x", "ck", "v"];

/// Number of distinct pseudo-words; drawn with Zipf weights, so a 1 GB corpus shows most of
/// them and a 5 MB corpus a few thousand.
pub const PSEUDO_WORDS: usize = 60_000;

/// The pseudo-word of each rank (0 = most frequent). Unique, lower-case, 4+ letters, never a
/// token of a topic phrase nor an acronym.
pub fn pseudo_words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let forbidden = phrase_tokens();
        let mut seen = HashSet::with_capacity(PSEUDO_WORDS * 2);
        let mut out = Vec::with_capacity(PSEUDO_WORDS);
        let mut rng = super::rng::Rng::new(0x7073_6575_646f); // fixed: the lexicon never changes
        while out.len() < PSEUDO_WORDS {
            let syllables = 2 + usize::from(rng.chance(0.35));
            let mut w = String::with_capacity(12);
            for _ in 0..syllables {
                w.push_str(rng.pick(ONSETS));
                w.push_str(rng.pick(VOWELS));
                w.push_str(rng.pick(CODAS));
            }
            if w.len() >= 4 && !forbidden.contains(&w) && seen.insert(w.clone()) {
                out.push(w);
            }
        }
        out
    })
}

/// Capitalise the first letter (ASCII).
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_keys_are_the_27_of_the_design() {
        let keys: HashSet<&str> = TOPICS.iter().map(|t| t.key).collect();
        assert_eq!(keys.len(), 27);
        for k in [
            "domestic_abuse",
            "cse",
            "criminal_exploitation",
            "missing",
            "child_protection",
            "mash_referrals",
            "lado",
            "ofsted",
            "looked_after",
            "care_leavers",
            "early_help",
            "neglect",
            "fgm",
            "prevent",
            "private_fostering",
            "online_safety",
            "practice_reviews",
            "safeguarding_partnership",
            "adoption",
            "fostering",
            "workforce",
            "mental_health",
            "send",
            "youth_justice",
            "home_education",
            "trafficking",
            "uasc",
        ] {
            assert!(keys.contains(k), "{k}");
        }
    }

    #[test]
    fn general_words_never_hold_a_one_word_phrase() {
        // A one-token phrase ("neglect", "send", "prevent"…) must only appear on purpose.
        let singles: HashSet<String> = all_phrases()
            .iter()
            .map(|(_, p)| super::super::count::tokens(p))
            .filter(|t| t.len() == 1)
            .map(|mut t| t.remove(0))
            .collect();
        let lists: [&[&str]; 9] =
            [OPENERS, DETERMINERS, ADJECTIVES, NOUNS, PLURALS, VERB_PHRASES, TAILS, GENERAL_ITEM_TITLES, RESOLUTIONS];
        for list in lists {
            for s in list {
                for t in super::super::count::tokens(s) {
                    assert!(!singles.contains(&t), "{s:?} holds {t:?}");
                }
            }
        }
        assert_eq!(pseudo_words().len(), PSEUDO_WORDS);
    }
}
