//! `cyberdrill package FILE --out DIR`: the exercise package (situation manual,
//! facilitator guide, evaluator guide), each in HTML and Markdown, written from the
//! scenario by the [`package`](cyberdrill_tui::package) module.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use cyberdrill_tui::package::{self, render};

/// Arguments of `cyberdrill package`.
#[derive(Debug, Args)]
pub struct PackageArgs {
    /// Scenario file (TOML), or a bundled scenario's name.
    pub file: PathBuf,
    /// Directory to write the documents to (created if missing; files of the same names
    /// are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Runs `cyberdrill package`.
pub fn run(args: &PackageArgs) -> anyhow::Result<ExitCode> {
    let loaded = crate::commands::outcome::load_named(&args.file)?;
    let docs = package::documents(&loaded.scenario, &loaded.source);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create `{}`", args.out.display()))?;
    let mut written = Vec::new();
    for doc in &docs {
        for (extension, text) in [
            ("html", render::to_html(doc)),
            ("md", render::to_markdown(doc)),
        ] {
            let path = args.out.join(format!("{}.{extension}", doc.file));
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            written.push(path);
        }
    }
    let mut out = std::io::stdout();
    writeln!(
        out,
        "{}: exercise package written to {}",
        loaded.name,
        args.out.display()
    )?;
    for path in written {
        writeln!(out, "  {}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}
