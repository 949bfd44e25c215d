//! `cyberdrill scenario`: the bundled scenarios and the synthetic scenario generator.
//!
//! `list` and `export` give authors the bundled files to copy and edit (the binary carries
//! them, so this works from any directory); `generate` writes a synthetic scenario of any
//! size for benchmarks and stress tests, streamed so that a million assets stay cheap.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use cyberdrill_engine::scenario::bundled;
use cyberdrill_engine::scenario::generate::{GenerateOptions, write_toml};

/// Arguments of `cyberdrill scenario`.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    #[command(subcommand)]
    pub action: ScenarioAction,
}

/// What `cyberdrill scenario` does.
#[derive(Debug, Subcommand)]
pub enum ScenarioAction {
    /// List the scenarios bundled in the binary.
    #[command(after_help = "Example:\n  cyberdrill scenario list")]
    List,
    /// Print a bundled scenario's TOML, to copy and edit.
    #[command(after_help = "Examples:\n  cyberdrill scenario export tutorial\n  \
                            cyberdrill scenario export apec-regional --out my-exercise.toml")]
    Export {
        /// Bundled scenario name, with or without `.toml` (see `cyberdrill scenario list`).
        name: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Generate a synthetic scenario: N economies, exactly M assets, from seed S.
    #[command(
        after_help = "Examples:\n  cyberdrill scenario generate --economies 8 --assets 500 --seed 1\n  \
                            cyberdrill scenario generate --economies 50 --assets 1000000 --seed 7 --out big.toml"
    )]
    Generate(GenerateArgs),
}

/// Arguments of `cyberdrill scenario generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of economies (1 to 1000).
    #[arg(long, value_name = "N")]
    pub economies: u32,
    /// Exact number of assets (at least one per economy).
    #[arg(long, value_name = "M")]
    pub assets: u64,
    /// Seed: the same options always give the same file.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `cyberdrill scenario ...`.
pub fn run(args: ScenarioArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        ScenarioAction::List => list(),
        ScenarioAction::Export { name, out } => export(&name, out.as_deref()),
        ScenarioAction::Generate(args) => generate(&args),
    }
}

fn list() -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    for (file, source) in bundled::all() {
        let title = toml::from_str::<toml::Table>(source)
            .ok()
            .and_then(|t| t.get("scenario")?.get("title")?.as_str().map(str::to_owned))
            .unwrap_or_default();
        text.push_str(&format!("{:<22} {title}\n", file.trim_end_matches(".toml")));
    }
    emit(None, |out| out.write_all(text.as_bytes()))
}

fn export(name: &str, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let Some((_, text)) = bundled::find(name) else {
        let known: Vec<&str> = bundled::all()
            .iter()
            .map(|(file, _)| file.trim_end_matches(".toml"))
            .collect();
        bail!(
            "no bundled scenario called `{name}`; the bundled ones are: {} (see `cyberdrill scenario list`)",
            known.join(", ")
        );
    };
    emit(out, |w| w.write_all(text.as_bytes()))
}

fn generate(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let opts = GenerateOptions {
        economies: args.economies,
        assets: args.assets,
        seed: args.seed,
    };
    opts.check()?;
    emit(args.out.as_deref(), |w| write_toml(opts, w))
}

/// Writes through `write` to `out` (a file) or to standard output. A closed pipe on
/// standard output (`| head`) is not an error.
fn emit(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<ExitCode> {
    match out {
        Some(path) => {
            let file = File::create(path).with_context(|| {
                format!(
                    "cannot create {}: check the directory exists and is writable",
                    path.display()
                )
            })?;
            let mut writer = BufWriter::new(file);
            write(&mut writer)
                .and_then(|()| writer.flush())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            let mut writer = BufWriter::new(io::stdout().lock());
            match write(&mut writer).and_then(|()| writer.flush()) {
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {}
                other => other.context("cannot write to standard output")?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
