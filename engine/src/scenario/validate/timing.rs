//! When injects can fire, across injects: `after` chains that loop, delays that put an
//! inject past the end, and `inject_fired` conditions on injects that never fire by
//! themselves.

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::spans::Seg::{self, Index as I, Key as K};
use super::{Validator, at};

/// Passes over the injects after which [`earliest_fire_ticks`] gives up (chains of
/// `after` and `inject_fired` written against file order settle one link per pass).
const MAX_TIMING_PASSES: usize = 256;

/// Every timing check of the built injects.
pub(super) fn check(cx: &mut Validator<'_>, injects: &[Inject]) {
    check_after_cycles(cx, injects);
    warn_fired_too_late(cx, injects);
}

/// Reports chains of `after` that loop back on themselves (the injects never fire).
fn check_after_cycles(cx: &mut Validator<'_>, injects: &[Inject]) {
    let next = |i: usize| match injects[i].trigger {
        Trigger::After { inject, .. } => Some(inject.index()),
        _ => None,
    };
    // 0 = unvisited, 1 = on the current walk, 2 = done.
    let mut state = vec![0u8; injects.len()];
    for start in 0..injects.len() {
        let mut walk = Vec::new();
        let mut current = Some(start);
        while let Some(i) = current {
            if state[i] == 2 {
                break;
            }
            if state[i] == 1 {
                let cycle_start = walk.iter().position(|&w| w == i).unwrap_or(0);
                let cycle = &walk[cycle_start..];
                let reported = cycle.iter().copied().min().unwrap_or(i);
                let names: Vec<String> = cycle
                    .iter()
                    .chain(std::iter::once(&i))
                    .map(|&n| format!("`{}`", injects[n].id))
                    .collect();
                cx.error(
                    Code::InjectCycle,
                    at("inject", reported, &[K("after"), K("inject")]),
                    format!("injects wait for each other in a cycle: {}", names.join(" -> ")),
                    Some("none of them can ever fire; give one of them `at` or `when` instead of `after`".into()),
                );
                break;
            }
            state[i] = 1;
            walk.push(i);
            current = next(i);
        }
        for w in walk {
            state[w] = 2;
        }
    }
}

/// Warns about an `after` delay that pushes an inject past the end of the exercise,
/// and an `inject_fired` condition on an inject that never fires by itself. Both are
/// warnings: the facilitator can still fire any inject by hand.
fn warn_fired_too_late(cx: &mut Validator<'_>, injects: &[Inject]) {
    let Some(earliest) = earliest_fire_ticks(injects) else {
        return;
    };
    let duration = cx.duration;
    for (i, inject) in injects.iter().enumerate() {
        match &inject.trigger {
            Trigger::After {
                inject: first,
                delay,
            } => {
                if let Some(fired) = earliest[first.index()]
                    && fired <= duration
                    && fired.saturating_add(*delay) > duration
                {
                    cx.warning(
                        Code::FiresTooLate,
                        at("inject", i, &[K("after"), K("delay")]),
                        format!(
                            "this delay puts the inject at tick {} at the earliest, after the end of the exercise (tick {duration})",
                            fired.saturating_add(*delay)
                        ),
                        Some(format!(
                            "`{}` fires at tick {fired} at the earliest: use a delay of at most {}, or raise `duration_ticks` in [scenario]",
                            injects[first.index()].id,
                            duration - fired
                        )),
                    );
                }
            }
            Trigger::When(condition) => {
                let mut found = Vec::new();
                injects_fired_in(condition, &mut vec![K("when")], &mut found);
                for (path, other) in found {
                    let why = match earliest[other.index()] {
                        None => format!(
                            "`{}` waits, through `after` or `inject_fired`, on injects that wait for each other",
                            injects[other.index()].id
                        ),
                        Some(tick) if tick > duration => format!(
                            "`{}` fires at tick {tick} at the earliest, after the end of the exercise (tick {duration})",
                            injects[other.index()].id
                        ),
                        Some(_) => continue,
                    };
                    cx.warning(
                        Code::NeverFires,
                        at("inject", i, &path),
                        format!(
                            "inject `{}` never fires by itself, so this condition never holds",
                            injects[other.index()].id
                        ),
                        Some(format!(
                            "{why}; fix its trigger, or the facilitator must fire it by hand"
                        )),
                    );
                }
            }
            Trigger::Manual | Trigger::At(_) => {}
        }
    }
}

/// A lower bound on the tick at which each inject fires by itself, without the
/// facilitator: `None` when it never does (it waits on itself through `after` or
/// `inject_fired`). A manual inject counts as tick 0, the facilitator may fire it at
/// once. `None` overall when the chains do not settle within [`MAX_TIMING_PASSES`].
fn earliest_fire_ticks(injects: &[Inject]) -> Option<Vec<Option<u32>>> {
    // Start from "never" and lower each bound until nothing moves: min, max and +
    // only ever lower a bound, so what is left on a cycle stays "never".
    let mut earliest: Vec<Option<u32>> = vec![None; injects.len()];
    for _ in 0..MAX_TIMING_PASSES {
        let mut changed = false;
        for (i, inject) in injects.iter().enumerate() {
            let tick = match &inject.trigger {
                Trigger::Manual => Some(0),
                Trigger::At(tick) => Some((*tick).max(1)),
                Trigger::When(condition) => earliest_holding(condition, &earliest),
                Trigger::After { inject, delay } => {
                    earliest[inject.index()].map(|fired| fired.saturating_add(*delay))
                }
            };
            if tick != earliest[i] {
                earliest[i] = tick;
                changed = true;
            }
        }
        if !changed {
            return Some(earliest);
        }
    }
    None
}

/// A lower bound on the first tick `condition` can hold, given the injects' bounds.
fn earliest_holding(condition: &Condition, earliest: &[Option<u32>]) -> Option<u32> {
    match condition {
        Condition::TickAtLeast(tick) => Some((*tick).max(1)),
        Condition::InjectFired(inject) => earliest[inject.index()],
        Condition::After {
            delay, condition, ..
        } => earliest_holding(condition, earliest).map(|t| t.saturating_add(*delay)),
        Condition::All(list) => list
            .iter()
            .try_fold(1, |at, c| earliest_holding(c, earliest).map(|t| t.max(at))),
        Condition::Any(list) if !list.is_empty() => list
            .iter()
            .filter_map(|c| earliest_holding(c, earliest))
            .min(),
        _ => Some(1),
    }
}

/// Every `inject_fired` in `condition`, with its path in the file.
fn injects_fired_in(
    condition: &Condition,
    path: &mut Vec<Seg>,
    out: &mut Vec<(Vec<Seg>, InjectIdx)>,
) {
    match condition {
        Condition::InjectFired(inject) => {
            let mut here = path.clone();
            here.push(K("inject_fired"));
            out.push((here, *inject));
        }
        Condition::All(list) | Condition::Any(list) => {
            let key = if matches!(condition, Condition::All(_)) {
                "all"
            } else {
                "any"
            };
            for (n, inner) in list.iter().enumerate() {
                path.extend([K(key), I(n)]);
                injects_fired_in(inner, path, out);
                path.truncate(path.len() - 2);
            }
        }
        Condition::Not(inner) => {
            path.push(K("not"));
            injects_fired_in(inner, path, out);
            path.pop();
        }
        Condition::After { condition, .. } => {
            path.extend([K("after"), K("condition")]);
            injects_fired_in(condition, path, out);
            path.truncate(path.len() - 2);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{SMALL, check, ok};

    /// The earliest tick of an inject settles through chains written against file order
    /// (`after` on an inject further down, itself waiting on `inject_fired`), and a delay
    /// that fits is not reported.
    #[test]
    fn an_after_chain_past_the_end_is_a_warning_whatever_the_file_order() {
        let injects = |last_delay: u32| {
            format!(
                "{SMALL}\n[[inject]]\nid = \"third\"\nheadline = \"3\"\nafter = {{ inject = \"second\", delay = {last_delay} }}\n\n\
                 [[inject]]\nid = \"second\"\nheadline = \"2\"\nwhen = {{ all = [{{ tick_at_least = 3 }}, {{ inject_fired = \"first\" }}] }}\n\n\
                 [[inject]]\nid = \"first\"\nheadline = \"1\"\nat = 20\n"
            )
        };
        // `first` at 20, `second` no earlier, `third` 4 later: 24, the last tick.
        assert!(ok(&injects(4)).warnings.is_empty());
        let late = ok(&injects(5));
        let messages: Vec<&str> = late.warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "this delay puts the inject at tick 25 at the earliest, after the end of the exercise (tick 24)"
            ]
        );
    }

    #[test]
    fn a_cycle_of_after_and_a_condition_on_it() {
        check(&format!(
            "{SMALL}
[[inject]]
id = \"loop-a\"
headline = \"a\"
after = {{ inject = \"loop-b\" }}
#                  ^^^^^^^^ error[inject-cycle]: injects wait for each other in a cycle: `loop-a` -> `loop-b` -> `loop-a`

[[inject]]
id = \"loop-b\"
headline = \"b\"
after = {{ inject = \"loop-a\", delay = 1 }}

[[inject]]
id = \"waits\"
headline = \"w\"
when = {{ inject_fired = \"loop-b\" }}
#                       ^^^^^^^^ warning[never-fires]: inject `loop-b` never fires by itself, so this condition never holds
"
        ));
    }
}
