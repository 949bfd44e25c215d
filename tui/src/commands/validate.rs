//! `cyberdrill validate FILE...`: every problem of every file. For people, compiler-style
//! diagnostics on stderr and one summary line per file on stdout; for editors and CI,
//! `--format short` (one line per problem) or `--format json` (one JSON document).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use cyberdrill_engine::scenario::{self, Diagnostic};

/// How `validate` prints what it finds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source lines with carets and hints on stderr; a summary line per file on stdout.
    #[default]
    Human,
    /// `FILE:LINE:COL: error[code]: message` on stderr, one line per problem.
    Short,
    /// One JSON document on stdout: every file with its diagnostics and their positions.
    Json,
}

/// What one file's check found.
struct Outcome {
    text: String,
    diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Checks each file; exit 0 if all are valid (warnings allowed), 1 otherwise.
pub fn run(files: &[PathBuf], format: Format) -> anyhow::Result<ExitCode> {
    let mut all_valid = true;
    let mut json_files = Vec::new();
    for path in files {
        let name = path.display().to_string();
        match check(path) {
            Ok(outcome) => {
                all_valid &= outcome.errors() == 0;
                match format {
                    Format::Human => {
                        eprint!(
                            "{}",
                            scenario::render(&name, &outcome.text, &outcome.diagnostics)
                        );
                        writeln!(std::io::stdout(), "{}", summary(&name, &outcome))?;
                    }
                    Format::Short => {
                        eprint!(
                            "{}",
                            scenario::render_short(&name, &outcome.text, &outcome.diagnostics)
                        );
                    }
                    Format::Json => json_files.push(serde_json::json!({
                        "file": name,
                        "valid": outcome.errors() == 0,
                        "errors": outcome.errors(),
                        "warnings": outcome.warnings(),
                        "diagnostics": scenario::to_json(&outcome.text, &outcome.diagnostics),
                    })),
                }
            }
            Err(err) => {
                all_valid = false;
                match format {
                    Format::Json => json_files.push(serde_json::json!({
                        "file": name,
                        "valid": false,
                        "read_error": err.to_string(),
                    })),
                    Format::Human | Format::Short => {
                        eprintln!("error: {err}");
                        if format == Format::Human {
                            writeln!(std::io::stdout(), "{name}: not checked (cannot read it)")?;
                        }
                    }
                }
            }
        }
    }
    if format == Format::Json {
        let document = serde_json::json!({ "valid": all_valid, "files": json_files });
        writeln!(std::io::stdout(), "{document}")?;
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Reads, parses and validates one file.
fn check(path: &Path) -> Result<Outcome, scenario::LoadError> {
    let bytes = scenario::read_bytes(path)?;
    Ok(match scenario::decode(bytes) {
        Ok(text) => {
            let diagnostics = match scenario::parse(&text) {
                Ok(checked) => checked.warnings,
                Err(diagnostics) => diagnostics,
            };
            Outcome { text, diagnostics }
        }
        Err((text, diagnostic)) => Outcome {
            text,
            diagnostics: vec![diagnostic],
        },
    })
}

fn summary(name: &str, outcome: &Outcome) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if outcome.errors() == 0 {
        format!("{name}: ok, {}", plural(outcome.warnings(), "warning"))
    } else {
        format!(
            "{name}: invalid, {}, {}",
            plural(outcome.errors(), "error"),
            plural(outcome.warnings(), "warning")
        )
    }
}
