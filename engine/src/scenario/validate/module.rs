//! `[[module]]`: the parts of the story, each ending in a discussion with its questions
//! while the clock is stopped (CISA's Tabletop Exercise Packages: an exercise in modules,
//! usually three, each followed by prepared discussion questions; HSEEP 2020's hot wash
//! after the last). The first starts at tick 0 and each starts after the one before, so
//! that every tick belongs to exactly one module.

use super::super::diagnostic::Code;
use super::super::model::Module;
use super::super::spans::Seg::{Index as I, Key as K};
use super::{Validator, at};

/// Longest module title and question, in characters: a line on a screen, a sentence.
pub(super) const MAX_TEXT_CHARS: usize = 500;

/// Checks every module: a title, questions that say something, and start ticks that
/// begin at 0 and rise within the exercise.
pub(super) fn build(cx: &mut Validator<'_>) -> Vec<Module> {
    let raw = cx.raw;
    let mut out = Vec::with_capacity(raw.modules.len());
    let mut previous: Option<u32> = None;
    for (i, m) in raw.modules.iter().enumerate() {
        check_text(cx, i, &[K("title")], "title", &m.title);
        for (q, question) in m.questions.iter().enumerate() {
            check_text(cx, i, &[K("questions"), I(q)], "question", question);
        }
        let start = at("module", i, &[K("start")]);
        match previous {
            None if m.start != 0 => cx.error(
                Code::OutOfRange,
                start,
                format!("the first module starts at tick {}, not 0", m.start),
                Some("start the first module at 0: every tick belongs to one module".into()),
            ),
            Some(before) if m.start <= before => cx.error(
                Code::OutOfRange,
                start,
                format!(
                    "this module starts at tick {}, not after the module before it (tick {before})",
                    m.start
                ),
                Some("write the modules in the order of the story, each starting later".into()),
            ),
            _ if i > 0 && m.start >= cx.duration => {
                let duration = cx.duration;
                cx.error(
                    Code::TickAfterEnd,
                    start,
                    format!(
                        "this module starts at tick {}, when the exercise ends (tick {duration})",
                        m.start
                    ),
                    Some(format!(
                        "start it before tick {duration}, or raise `duration_ticks` in [scenario]"
                    )),
                );
            }
            _ => {}
        }
        previous = Some(m.start);
        out.push(Module {
            title: m.title.trim().to_string(),
            start: m.start,
            questions: m.questions.iter().map(|q| q.trim().to_string()).collect(),
        });
    }
    out
}

/// A title or question: not blank, at most [`MAX_TEXT_CHARS`] characters.
fn check_text(
    cx: &mut Validator<'_>,
    i: usize,
    path: &[super::super::spans::Seg],
    what: &str,
    text: &str,
) {
    let place = at("module", i, path);
    if text.trim().is_empty() {
        cx.error(
            Code::EmptyValue,
            place,
            format!("the module's {what} is empty"),
            Some(format!("write the {what} players will read")),
        );
    } else if text.chars().count() > MAX_TEXT_CHARS {
        cx.error(
            Code::OverLimit,
            place,
            format!(
                "the module's {what} is {} characters long, over {MAX_TEXT_CHARS}",
                text.chars().count()
            ),
            Some("keep it to a sentence or two; details belong in an inject".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, check, ok};

    #[test]
    fn modules_start_at_zero_and_rise_and_their_questions_are_kept() {
        let checked = ok(&format!(
            "{HEAD}
[[module]]
title = \"Detection\"
start = 0
questions = [\"Who saw it first?\", \"  What did you share?  \"]

[[module]]
title = \"Response\"
start = 6
"
        ));
        let modules = &checked.scenario.modules;
        assert_eq!(modules.len(), 2);
        assert_eq!(modules[1].start, 6);
        assert_eq!(modules[0].questions[1], "What did you share?");
        assert!(modules[1].questions.is_empty());
    }

    #[test]
    fn a_late_first_module_and_modules_out_of_order_are_errors() {
        check(&format!(
            "{HEAD}
[[module]]
title = \"First\"
start = 2
#       ^ error[out-of-range]: the first module starts at tick 2, not 0

[[module]]
title = \"Second\"
start = 2
#       ^ error[out-of-range]: this module starts at tick 2, not after the module before it (tick 2)

[[module]]
title = \"Third\"
start = 10
#       ^^ error[tick-after-end]: this module starts at tick 10, when the exercise ends (tick 10)
"
        ));
    }

    #[test]
    fn titles_and_questions_say_something() {
        check(&format!(
            "{HEAD}
[[module]]
title = \" \"
#       ^^^ error[empty-value]: the module's title is empty
start = 0
questions = [\"Fine\", \"\"]
#                    ^^ error[empty-value]: the module's question is empty
"
        ));
    }
}
