//! End to end: the real `cyberdrill` binary in a real terminal (tmux). It opens on the
//! tutorial and shows its economies, `?` shows help, shrinking to 20x6 shows the
//! too-small message and growing back works, and `q` then `y` exits with code 0; it
//! ends when its terminal goes away. Skipped, with a notice, where tmux is not
//! installed (`.ci/run` installs it).

mod netkit;
mod scratch;
mod tmuxkit;

use std::process::Command;

use cyberdrill_engine::scenario::{self, bundled};
use tmuxkit::{Tmux, tmux_available, wait_gone};

#[test]
fn play_opens_helps_survives_resizing_and_quits_cleanly() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let tutorial = match scenario::parse(bundled::TUTORIAL) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("the bundled tutorial must load: {d:?}"),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let exit_file = dir.path().join("exit");
    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    let script = format!("'{bin}'; echo $? > '{}'; sleep 30", exit_file.display());
    let tmux = Tmux::start("e2e", 120, 40, &script);

    // The briefing opens first; Enter closes it on the Overview.
    tmux.wait_for(&["Briefing", "Tick 0/", &tutorial.meta.title]);
    tmux.keys(&["Enter"]);
    let names: Vec<&str> = tutorial.economies.iter().map(|e| e.name.as_str()).collect();
    let mut expected = vec!["Overview", "Tick 0/"];
    expected.extend(&names);
    tmux.wait_for(&expected);

    tmux.keys(&["?"]);
    tmux.wait_for(&["Help: Overview", "next screen"]);
    tmux.keys(&["Escape"]);

    tmux.resize(20, 6);
    tmux.wait_for(&["terminal too small"]);
    tmux.resize(120, 40);
    tmux.wait_for(&expected);

    tmux.keys(&["q"]);
    tmux.wait_for(&["Quit the exercise?"]);
    tmux.keys(&["y"]);
    assert_eq!(tmux.wait_for_file(&exit_file), "0");
}

/// Runs the binary without a terminal; returns (exit code, stderr).
fn run_headless(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn play_reports_bad_arguments_with_exit_code_1() {
    let (code, err) = run_headless(&["play", "--team", "nobody"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("no team `nobody`"), "{err}");
    assert!(
        err.contains("tam-csirt"),
        "lists the tutorial's teams: {err}"
    );

    let (code, err) = run_headless(&["play", "/nonexistent/scenario.toml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("cannot read scenario file"), "{err}");

    let (code, err) = run_headless(&["play", "--bots", "reckless"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("unknown policy"), "{err}");

    let (code, err) = run_headless(&["play", "--team", "tam-csirt", "--facilitator"]);
    assert_eq!(code, Some(1), "{err}");
}

#[test]
fn play_without_a_terminal_says_so_instead_of_crashing() {
    let (code, err) = run_headless(&["play"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("needs an interactive terminal"), "{err}");
}

#[test]
fn play_refuses_to_overwrite_a_journal_unless_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let existing = dir.path().join("minutes.txt");
    std::fs::write(&existing, "notes of another drill\n").expect("write");
    let path = existing.to_string_lossy().into_owned();

    let (code, err) = run_headless(&["play", "--journal", &path]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert!(err.contains("not a cyberdrill journal"), "{err}");
    assert!(
        err.contains("--overwrite-journal"),
        "says how to go on: {err}"
    );

    let dir_arg = dir.path().to_string_lossy().into_owned();
    let (code, err) = run_headless(&["play", "--journal", &dir_arg]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("is a directory"), "{err}");

    // Without a terminal nothing is played, so nothing is replaced either.
    let (code, err) = run_headless(&["play", "--journal", &path, "--overwrite-journal"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("needs an interactive terminal"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&existing).expect("still there"),
        "notes of another drill\n"
    );
}

/// `--overwrite-journal` replaces a regular file and nothing else: a device node, a
/// symbolic link or a pipe is refused before anything is played, and left as it was.
#[cfg(unix)]
#[test]
fn play_never_replaces_anything_but_a_regular_file() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("keep.txt");
    std::fs::write(&target, "keep me\n").expect("write");
    let link = dir.path().join("link.journal");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let link_arg = link.to_string_lossy().into_owned();
    let (code, err) = run_headless(&["play", "--journal", &link_arg, "--overwrite-journal"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("a symbolic link, not a regular file"), "{err}");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link kept")
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me\n");
    for device in ["/dev/full", "/dev/null"] {
        if !std::path::Path::new(device).exists() {
            continue;
        }
        let (code, err) = run_headless(&["play", "--journal", device, "--overwrite-journal"]);
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("a device, not a regular file"), "{err}");
        assert!(err.contains(device), "{err}");
        let kind = std::fs::symlink_metadata(device)
            .expect("device")
            .file_type();
        assert!(kind.is_char_device(), "{device} is still a device");
    }
}

/// Runs the binary in `dir` and returns (exit code, stdout, stderr).
fn run_in(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The value after `key` up to the next `)`, `;`, space or line end.
fn value_after<'a>(text: &'a str, key: &str) -> &'a str {
    let at = text
        .find(key)
        .map_or_else(|| panic!("no `{key}` in {text}"), |i| i + key.len());
    let rest = &text[at..];
    let end = rest
        .find(|c: char| c == ')' || c == ';' || c.is_whitespace())
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn a_journaled_play_replays_verified_and_its_live_report_matches_cyberdrill_report() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let stderr_file = dir.path().join("play.stderr");
    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    let script = format!(
        "cd '{}' && '{bin}' play --facilitator --seed 3 --journal drill.journal 2> '{}'; \
         echo $? > exit; sleep 30",
        dir.path().display(),
        stderr_file.display()
    );
    let tmux = Tmux::start("e2e-journal", 120, 40, &script);
    tmux.wait_for(&["Overview", "Tick 0/"]);
    for tick in 1..=5 {
        tmux.keys(&["n"]);
        tmux.wait_for(&[&format!("Tick {tick}/")]);
    }
    tmux.keys(&["7"]);
    tmux.wait_for(&["Injects · f fire"]);
    tmux.keys(&["r"]);
    tmux.wait_for(&["report: written to"]);
    tmux.keys(&["q"]);
    tmux.wait_for(&["Quit the exercise?"]);
    tmux.keys(&["y"]);
    assert_eq!(tmux.wait_for_file(&dir.path().join("exit")), "0");

    let said = std::fs::read_to_string(&stderr_file).expect("play's stderr");
    assert!(
        said.contains("journaled in drill.journal (tick 5"),
        "{said}"
    );
    let live_hash = value_after(&said, "state hash ");

    let (code, out, err) = run_in(dir.path(), &["replay", "drill.journal", "--verify"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("5 state hash(es) verified"), "{out}");
    assert!(out.contains("recorded by play --bots cooperative"), "{out}");
    assert_eq!(value_after(&out, "final state hash "), live_hash, "{out}");

    let (code, _, err) = run_in(
        dir.path(),
        &["report", "drill.journal", "--out", "offline.html"],
    );
    assert_eq!(code, Some(0), "{err}");
    let live = std::fs::read_to_string(dir.path().join("cyberdrill-report-tutorial-tick5.html"))
        .expect("the report written with `r`");
    let offline = std::fs::read_to_string(dir.path().join("offline.html")).expect("report");
    assert!(
        live == offline,
        "the live report differs from `cyberdrill report`'s"
    );
}

#[test]
fn ending_signals_restore_the_terminal_and_keep_the_journal() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    for (signal, name, status) in [
        ("TERM", "SIGTERM", 143),
        ("HUP", "SIGHUP", 129),
        ("INT", "SIGINT", 130),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        // The inner shell writes its pid, then becomes cyberdrill (exec): that pid is
        // the program's. After it ends, the terminal's modes are saved for inspection.
        let script = format!(
            "cd '{}' && sh -c 'echo $$ > pid; exec \"$0\" play --journal drill.journal' '{bin}' \
             2> stderr; echo $? > status; stty -a > stty; echo done > exit; sleep 30",
            dir.path().display(),
        );
        let tmux = Tmux::start(&format!("e2e-{signal}"), 100, 30, &script);
        tmux.wait_for(&["Overview", "Tick 0/"]);
        for tick in 1..=2 {
            tmux.keys(&["n"]);
            tmux.wait_for(&[&format!("Tick {tick}/")]);
        }
        assert!(
            tmux.alternate_screen(),
            "the interface draws on the alternate screen"
        );
        let pid = tmux.wait_for_file(&dir.path().join("pid"));
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        tmux.wait_for_file(&dir.path().join("exit"));

        let said = std::fs::read_to_string(dir.path().join("stderr")).expect("stderr");
        assert!(
            said.contains(&format!("stopped by {name}")),
            "{signal}: {said}"
        );
        let code = std::fs::read_to_string(dir.path().join("status")).expect("status");
        assert_eq!(code.trim(), status.to_string(), "{signal}: {said}");
        let stty = std::fs::read_to_string(dir.path().join("stty")).expect("stty");
        let modes: Vec<&str> = stty.split_whitespace().collect();
        for mode in ["icanon", "echo", "isig"] {
            assert!(
                modes.contains(&mode),
                "{signal}: raw mode left on (no {mode}): {stty}"
            );
        }
        assert!(
            !tmux.alternate_screen(),
            "{signal}: the alternate screen was left"
        );
        let (code, out, err) = run_in(dir.path(), &["replay", "drill.journal", "--verify"]);
        assert_eq!(code, Some(0), "{signal}: {err}");
        assert!(out.contains("2 state hash(es) verified"), "{signal}: {out}");
    }
}

#[test]
fn play_ends_when_its_terminal_goes_away_and_keeps_the_journal() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    let dir = tempfile::tempdir().expect("tempdir");
    // The shell writes its pid, then becomes cyberdrill: the program is the session's
    // only process, as when a terminal window runs it directly.
    let script = format!(
        "cd '{}' && exec sh -c 'echo $$ > pid; exec \"$0\" play --journal drill.journal' '{bin}'",
        dir.path().display(),
    );
    let tmux = Tmux::start("e2e-gone", 100, 30, &script);
    tmux.wait_for(&["Overview", "Tick 0/"]);
    for tick in 1..=2 {
        tmux.keys(&["n"]);
        tmux.wait_for(&[&format!("Tick {tick}/")]);
    }
    let pid = tmux.wait_for_file(&dir.path().join("pid"));
    drop(tmux); // kills the session: the terminal is gone
    wait_gone(&pid, "play");
    let (code, out, err) = run_in(dir.path(), &["replay", "drill.journal", "--verify"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("2 state hash(es) verified"), "{out}");
}

#[test]
fn join_ends_when_its_terminal_goes_away() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = netkit::write_scenario(dir.path(), 2, 20);
    let server = netkit::Server::start(&scenario, dir.path(), &[]);
    let code = server.team_code("t0");
    let script = format!(
        "cd '{}' && exec sh -c 'echo $$ > pid; exec \"$0\" join {} --code {code}' '{bin}'",
        dir.path().display(),
        server.addr,
    );
    let tmux = Tmux::start("e2e-join-gone", 100, 30, &script);
    tmux.wait_for(&["Overview", "Tick 0/"]);
    let pid = tmux.wait_for_file(&dir.path().join("pid"));
    drop(tmux);
    wait_gone(&pid, "join");
}

#[test]
fn a_long_paste_fills_a_form_to_its_limit_and_the_keys_keep_working() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    let tmux = Tmux::start("e2e-paste", 100, 30, &format!("'{bin}' play --facilitator"));
    tmux.wait_for(&["Overview", "Tick 0/"]);
    for bracketed in [false, true] {
        tmux.keys(&["b"]);
        tmux.wait_for(&["A message to every team"]);
        // 5,000 characters into a 500-character field; 4 KiB used to stall the input.
        tmux.paste(&"x".repeat(5000), bracketed);
        tmux.wait_for(&["text: xxxxxxxx"]);
        // Keys sent one by one: Esc and a key in one write is Alt+key.
        tmux.keys(&["Escape"]);
        tmux.wait_gone(&["text: xxxxxxxx"]);
        tmux.keys(&["6"]);
        tmux.wait_for(&["Channels"]);
        tmux.keys(&["b"]);
        tmux.wait_for(&["A message to every team"]);
        tmux.paste(&format!("{}END", "y".repeat(497)), bracketed);
        tmux.keys(&["-l", "!!!"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["broadcast sent"]);
        tmux.keys(&["1"]);
        tmux.wait_for(&["Economies"]);
    }
}

#[test]
fn a_team_reads_the_briefing_then_an_inject_in_full_on_news() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let tutorial = match scenario::parse(bundled::TUTORIAL) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("the bundled tutorial must load: {d:?}"),
    };
    let team = &tutorial.teams[0];
    // The first inject addressed to this team alone that the clock fires, and the tick.
    let (inject, at) = tutorial
        .injects
        .iter()
        .find_map(|i| match (&i.audience, &i.trigger) {
            (
                cyberdrill_engine::scenario::model::Audience::Teams(teams),
                cyberdrill_engine::scenario::model::Trigger::At(at),
            ) if teams.contains(&cyberdrill_engine::scenario::model::TeamIdx(0)) && *at > 0 => {
                Some((i, *at))
            }
            _ => None,
        })
        .expect("the tutorial fires a team inject by the clock");
    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    let tmux = Tmux::start(
        "e2e-news",
        120,
        40,
        &format!("'{bin}' play --team {}", team.id),
    );
    // The briefing: the scenario's own words, the team's role, what a tick is.
    let first_words: String = tutorial
        .meta
        .briefing
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    tmux.wait_for(&["Briefing", &first_words, &team.name, "one tick is"]);
    // The opening injects (`at = 0`) are on News before the first tick, with their sender
    // and channel.
    let opening = tutorial
        .injects
        .iter()
        .find(|i| {
            i.trigger == cyberdrill_engine::scenario::model::Trigger::At(0)
                && i.audience == cyberdrill_engine::scenario::model::Audience::All
        })
        .expect("the tutorial opens with an inject to everyone");
    let sender = opening
        .msel
        .sender
        .as_deref()
        .expect("the tutorial's opening inject says who sends it");
    tmux.keys(&["Enter"]);
    tmux.keys(&["2"]);
    tmux.wait_for(&[
        "Tick 0/",
        &opening.headline,
        &format!("From {sender} · "),
        "received at tick 0",
    ]);
    tmux.keys(&["1"]);
    for tick in 1..=at {
        tmux.keys(&["n"]);
        tmux.wait_for(&[&format!("Tick {tick}/")]);
    }
    // The status line alerts; News shows the whole text.
    tmux.wait_for(&["● NEWS", &inject.headline]);
    tmux.keys(&["2"]);
    let words: Vec<&str> = inject.text.split_whitespace().collect();
    let opening = words[..5].join(" ");
    let last = words[words.len() - 1];
    // To its last word, and that word whole (followed by a space or the border).
    tmux.wait_until("the inject's text on screen to its last word", |screen| {
        [
            inject.headline.as_str(),
            "received at tick",
            opening.as_str(),
        ]
        .iter()
        .all(|t| screen.contains(t))
            && (screen.contains(&format!("{last} ")) || screen.contains(&format!("{last}│")))
    });
}

#[test]
fn the_end_of_the_exercise_shows_the_results() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = netkit::write_scenario(dir.path(), 2, 3);
    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    let tmux = Tmux::start(
        "e2e-end",
        100,
        30,
        &format!("'{bin}' play '{}'", scenario.display()),
    );
    tmux.wait_for(&["Briefing", "Tick 0/3"]);
    for tick in 1..=3 {
        tmux.keys(&["n"]);
        tmux.wait_for(&[&format!("Tick {tick}/3")]);
    }
    tmux.wait_for(&[
        "The exercise has ended",
        "The exercise ended at tick 3 of 3",
        "Scorecard of CSIRT of economy 0",
        "The after-action report",
    ]);
}

#[test]
fn a_module_end_shows_its_questions_and_the_answer_is_journaled() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "{}\n{}",
        bundled::TUTORIAL,
        r#"
[[module]]
title = "Module 1: the first signs"
start = 0
questions = ["Who noticed the phishing first?", "What did you share, and with whom?"]

[[module]]
title = "Module 2: the ransom"
start = 3
questions = ["Would you pay?"]
"#
    );
    std::fs::write(dir.path().join("modules.toml"), text).expect("write scenario");
    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    let script = format!(
        "cd '{}' && '{bin}' play modules.toml --team tam-csirt --journal drill.journal; \
         echo $? > exit; sleep 30",
        dir.path().display()
    );
    let tmux = Tmux::start("e2e-module", 100, 30, &script);
    tmux.wait_for(&["Briefing", "Tick 0/"]);
    tmux.keys(&["Enter"]);
    for tick in 1..=3 {
        tmux.keys(&["n"]);
        tmux.wait_for(&[&format!("Tick {tick}/")]);
    }
    // The module ended: its questions open by themselves.
    tmux.wait_for(&[
        "Module 1 has ended",
        "1. Who noticed the phishing first?",
        "2. What did you share, and with whom?",
        "not answered yet",
    ]);
    tmux.keys(&["a"]);
    tmux.wait_for(&["answer a discussion question", "‹ 1. Who noticed"]);
    tmux.keys(&["-l", "the service desk"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["answer to question 1: recorded"]);
    tmux.keys(&["d"]);
    tmux.wait_for(&["your answer: the service desk"]);
    // Playing alone, space resumes the clock and ends the discussion.
    tmux.keys(&["space"]);
    tmux.wait_gone(&["discussion: Module 1"]);
    tmux.keys(&["q"]);
    tmux.wait_for(&["Quit the exercise?"]);
    tmux.keys(&["y"]);
    assert_eq!(tmux.wait_for_file(&dir.path().join("exit")), "0");
    let journal = std::fs::read_to_string(dir.path().join("drill.journal")).expect("journal");
    assert!(
        journal
            .lines()
            .any(|l| l.contains("\"answer\"") && l.contains("the service desk")),
        "the answer is journaled:\n{journal}"
    );
}

/// The tick on show: `Tick T/N`.
fn replay_tick(screen: &str) -> Option<u32> {
    let at = screen.find("Tick ")? + "Tick ".len();
    screen[at..].split('/').next()?.trim().parse().ok()
}

#[test]
fn replay_watch_opens_a_recording_steps_back_and_jumps_to_a_tick_and_an_event() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "run",
            "tutorial",
            "--seed",
            "3",
            "--journal",
            "drill.journal",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = run_in(
        dir.path(),
        &["replay", "drill.journal", "--watch", "--as", "nobody"],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("no team `nobody`"), "{err}");

    let bin = env!("CARGO_BIN_EXE_cyberdrill");
    let script = format!(
        "cd '{}' && '{bin}' replay drill.journal --watch; echo $? > exit; sleep 30",
        dir.path().display()
    );
    let tmux = Tmux::start("e2e-watch", 120, 40, &script);
    tmux.wait_for(&["Briefing", "Tick 0/"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&[
        "Overview",
        "⏯ replay · next event t",
        "n next tick · b back",
    ]);
    tmux.keys(&["n"]);
    tmux.wait_for(&["Tick 1/"]);
    tmux.keys(&["n"]);
    tmux.wait_for(&["Tick 2/"]);
    tmux.keys(&["b"]);
    tmux.wait_for(&["Tick 1/"]);
    tmux.keys(&["t"]);
    tmux.wait_for(&["go to a tick"]);
    tmux.keys(&["1", "2", "Enter"]);
    tmux.wait_for(&["Tick 12/"]);
    tmux.keys(&["e"]);
    // The next event is after tick 12, something happened there, and the status line
    // says what (waited for whole: the header changes before the status line is drawn).
    tmux.wait_until(
        "a tick after 12 and what happened there on the status line",
        |screen| {
            replay_tick(screen)
                .is_some_and(|tick| tick > 12 && screen.contains(&format!("t{tick}: ")))
        },
    );
    tmux.keys(&["q"]);
    tmux.wait_for(&["Quit the exercise?"]);
    tmux.keys(&["y"]);
    assert_eq!(tmux.wait_for_file(&dir.path().join("exit")), "0");
}
