//! Fuzz-style robustness of the scenario loader: random bytes, token soup and mutations
//! of a valid scenario (byte flips, truncations, deleted, duplicated and swapped lines)
//! must never panic, every diagnostic span must lie within the text, and whatever is
//! accepted must satisfy the model's invariants. Seeded with `SimRng`; a failure prints
//! the case number and the input.

use cyberdrill_engine::rng::SimRng;
use cyberdrill_engine::scenario::{Scenario, parse, render};

const VALID: &str = include_str!("../../tests/good/two-economies.toml");
const SEED: u64 = 0x5CE7_A210;
/// Characters that make up TOML structure, so mutations reach deep into the parser.
const TOKENS: &[u8] = b"[]{}=\",.#'\n \t_-0123456789abcdefxyz";

fn pick(rng: &mut SimRng, n: usize) -> usize {
    rng.below(n as u64) as usize
}

fn random_bytes(rng: &mut SimRng) -> String {
    let len = pick(rng, 600);
    let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn token_soup(rng: &mut SimRng) -> String {
    let len = pick(rng, 600);
    (0..len)
        .map(|_| TOKENS[pick(rng, TOKENS.len())] as char)
        .collect()
}

/// One to three random edits of the valid scenario.
fn mutate(rng: &mut SimRng) -> String {
    let mut text = VALID.to_owned();
    for _ in 0..=pick(rng, 3) {
        text = match pick(rng, 6) {
            0 => flip_char(rng, &text),
            1 => truncate(rng, &text),
            2 => edit_lines(rng, &text, LineEdit::Delete),
            3 => edit_lines(rng, &text, LineEdit::Duplicate),
            4 => edit_lines(rng, &text, LineEdit::Swap),
            _ => insert_token(rng, &text),
        };
    }
    text
}

fn flip_char(rng: &mut SimRng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if !chars.is_empty() {
        let at = pick(rng, chars.len());
        chars[at] = TOKENS[pick(rng, TOKENS.len())] as char;
    }
    chars.into_iter().collect()
}

fn insert_token(rng: &mut SimRng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = pick(rng, chars.len() + 1);
    chars.insert(at, TOKENS[pick(rng, TOKENS.len())] as char);
    chars.into_iter().collect()
}

fn truncate(rng: &mut SimRng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let keep = pick(rng, chars.len() + 1);
    chars[..keep].iter().collect()
}

enum LineEdit {
    Delete,
    Duplicate,
    Swap,
}

fn edit_lines(rng: &mut SimRng, text: &str, edit: LineEdit) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return text.to_owned();
    }
    let i = pick(rng, lines.len());
    match edit {
        LineEdit::Delete => {
            lines.remove(i);
        }
        LineEdit::Duplicate => lines.insert(i, lines[i]),
        LineEdit::Swap => {
            let j = pick(rng, lines.len());
            lines.swap(i, j);
        }
    }
    lines.join("\n")
}

/// What the simulation relies on in every accepted scenario.
fn check_invariants(s: &Scenario) -> Result<(), String> {
    for a in &s.assets {
        if !a.depends_on().windows(2).all(|w| w[0].on < w[1].on) {
            return Err(format!("dependencies of {} not sorted and unique", a.id()));
        }
        let sum: f64 = a.depends_on().iter().map(|d| d.weight).sum();
        if sum > 1.0 + 1e-6
            || a.depends_on()
                .iter()
                .any(|d| d.on.index() >= s.assets.len())
        {
            return Err(format!("bad dependencies on {}", a.id()));
        }
        let in_range =
            (1..=5).contains(&a.criticality) && a.resilience > 0.0 && a.resilience <= 1.0;
        if !in_range {
            return Err(format!("asset {} out of range", a.id()));
        }
    }
    for c in &s.campaigns {
        if c.targets.is_empty() || !c.targets.windows(2).all(|w| w[0] < w[1]) {
            return Err(format!("targets of {} empty or unsorted", c.id));
        }
    }
    if s.agreements.iter().any(|a| a.parties.len() < 2) {
        return Err("agreement with fewer than two parties".into());
    }
    Ok(())
}

fn run_case(case: usize, text: &str) {
    match parse(text) {
        Ok(checked) => {
            if let Err(problem) = check_invariants(&checked.scenario) {
                panic!("case {case} (seed {SEED:#x}): {problem}\n--- input ---\n{text}");
            }
        }
        Err(diagnostics) => {
            assert!(
                !diagnostics.is_empty(),
                "case {case}: Err without diagnostics"
            );
            for d in &diagnostics {
                assert!(
                    d.span.start <= d.span.end
                        && d.span.end <= text.len()
                        && text.is_char_boundary(d.span.start)
                        && text.is_char_boundary(d.span.end),
                    "case {case} (seed {SEED:#x}): span {:?} outside text of {} bytes: {}\n--- input ---\n{text}",
                    d.span,
                    text.len(),
                    d.message
                );
            }
            let rendered = render("fuzz.toml", text, &diagnostics);
            assert!(
                rendered.contains("fuzz.toml:"),
                "case {case}: nothing rendered"
            );
        }
    }
}

#[test]
fn parse_survives_random_and_mutated_input() {
    let mut rng = SimRng::new(SEED);
    let mut accepted = 0;
    for case in 0..4000 {
        let text = match case % 8 {
            0 => random_bytes(&mut rng),
            1 => token_soup(&mut rng),
            _ => mutate(&mut rng),
        };
        run_case(case, &text);
        accepted += usize::from(parse(&text).is_ok());
    }
    // Some mutations (whitespace, comments) keep the scenario valid: the invariants were
    // checked on real accepted models, not only on rejections.
    assert!(
        accepted > 50,
        "only {accepted} mutated scenarios were accepted"
    );
}

#[test]
fn the_unmutated_scenario_is_accepted() {
    let checked = parse(VALID).expect("the fixture is valid");
    check_invariants(&checked.scenario).expect("invariants hold");
}
