//! `cyberdrill schema`: the JSON Schema of the scenario format, for editor completion.

use std::io::Write;
use std::process::ExitCode;

/// Prints the schema as pretty JSON on stdout.
pub fn run() -> anyhow::Result<ExitCode> {
    let schema = cyberdrill_engine::scenario::json_schema();
    writeln!(
        std::io::stdout(),
        "{}",
        serde_json::to_string_pretty(&schema)?
    )?;
    Ok(ExitCode::SUCCESS)
}
