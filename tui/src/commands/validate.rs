//! `cyberdrill validate FILE...`: every problem of every file, as compiler-style
//! diagnostics on stderr, and one summary line per file on stdout.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cyberdrill_engine::scenario::{self, Diagnostic, Severity};

/// What one file's check found.
struct Outcome {
    errors: usize,
    warnings: usize,
}

/// Checks each file; exit 0 if all are valid (warnings allowed), 1 otherwise.
pub fn run(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut all_valid = true;
    for path in files {
        let name = path.display().to_string();
        match check(path, &name) {
            Ok(outcome) => {
                all_valid &= outcome.errors == 0;
                writeln!(std::io::stdout(), "{}", summary(&name, &outcome))?;
            }
            Err(err) => {
                all_valid = false;
                eprintln!("error: {err}");
                writeln!(std::io::stdout(), "{name}: not checked (cannot read it)")?;
            }
        }
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Reads, parses and validates one file, printing its diagnostics to stderr.
fn check(path: &Path, name: &str) -> Result<Outcome, scenario::LoadError> {
    let bytes = scenario::read_bytes(path)?;
    let (text, diagnostics) = match scenario::decode(bytes) {
        Ok(text) => {
            let diagnostics = match scenario::parse(&text) {
                Ok(checked) => checked.warnings,
                Err(diagnostics) => diagnostics,
            };
            (text, diagnostics)
        }
        Err((lossy, diagnostic)) => (lossy, vec![diagnostic]),
    };
    eprint!("{}", scenario::render(name, &text, &diagnostics));
    Ok(count(&diagnostics))
}

fn count(diagnostics: &[Diagnostic]) -> Outcome {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    Outcome {
        errors,
        warnings: diagnostics.len() - errors,
    }
}

fn summary(name: &str, outcome: &Outcome) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if outcome.errors == 0 {
        format!("{name}: ok, {}", plural(outcome.warnings, "warning"))
    } else {
        format!(
            "{name}: invalid, {}, {}",
            plural(outcome.errors, "error"),
            plural(outcome.warnings, "warning")
        )
    }
}
