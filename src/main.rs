//! The `trustlint` command: parse arguments, build settings, run the
//! library, render, and map the outcome to an exit code (0 clean, 1
//! findings at or above `--fail-on`, 2 usage, configuration or I/O error).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use trustlint::diagnostic::Severity;
use trustlint::report::{self, human::HumanOptions};
use trustlint::rules::{self, RULES};
use trustlint::Settings;

#[derive(Parser)]
#[command(
    name = "trustlint",
    version,
    about = "Lint AWS IAM trust: who can assume a role, under what conditions, and for how long"
)]
struct Cli {
    /// When to use colour: auto follows the terminal, NO_COLOR and CLICOLOR_FORCE
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, global = true)]
    color: ColorArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
enum FormatArg {
    Human,
    Concise,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Lint files and directories (default: the current directory)
    Check(CheckArgs),
    /// List every rule
    Rules,
    /// Show a rule's documentation page
    Rule {
        /// Rule ID (TL101) or name (public-trust)
        rule: String,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or directories to lint
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Only these rules (IDs or names, comma-separated; ALL for every rule)
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (IDs or names, comma-separated)
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Worker threads (default: number of CPUs)
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let choice = match cli.color {
        ColorArg::Auto => anstream::ColorChoice::Auto,
        ColorArg::Always => anstream::ColorChoice::Always,
        ColorArg::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    match cli.command {
        Command::Rules => print_rules(),
        Command::Rule { rule } => match rules::find(&rule) {
            Some(r) => {
                let page = r.page();
                if page.is_empty() {
                    write_out(&format!("{} {}\n\n{}\n", r.id, r.name, r.summary))
                } else {
                    write_out(page)
                }
            }
            None => {
                eprintln!("error: no rule named `{rule}` (see `trustlint rules`)");
                ExitCode::from(2)
            }
        },
        Command::Check(args) => check(args),
    }
}

/// Write to stdout; a closed pipe ends quietly.
fn write_out(s: &str) -> ExitCode {
    let mut out = anstream::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}

fn print_rules() -> ExitCode {
    let mut s = String::from("ID     NAME                            SEVERITY  REPORTS\n");
    for r in RULES {
        s.push_str(&format!(
            "{:<6} {:<31} {:<9} {}\n",
            r.id,
            r.name,
            r.severity.as_str(),
            r.summary
        ));
    }
    write_out(&s)
}

fn resolve_rules(list: &[String]) -> Result<Vec<&'static str>, String> {
    let mut out = Vec::new();
    for item in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if item.eq_ignore_ascii_case("ALL") {
            out.extend(RULES.iter().map(|r| r.id));
            continue;
        }
        match rules::find(item) {
            Some(r) => out.push(r.id),
            None => return Err(format!("unknown rule `{item}` (see `trustlint rules`)")),
        }
    }
    Ok(out)
}

fn stdout_color() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

fn check(args: CheckArgs) -> ExitCode {
    let start = Instant::now();
    let mut settings = Settings::default();
    if !args.select.is_empty() {
        match resolve_rules(&args.select) {
            Ok(r) => settings.enabled = r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    match resolve_rules(&args.ignore) {
        Ok(r) => settings.enabled.retain(|id| !r.contains(id)),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (inputs, walk_errors) = trustlint::discover::discover(&paths, &globset::GlobSet::empty());
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let report = trustlint::lint(&inputs, &settings, jobs);
    let text = match args.format {
        FormatArg::Human => report::human::render(
            &report,
            &HumanOptions {
                color: stdout_color(),
                width: terminal_width(),
            },
        ),
        FormatArg::Concise => report::concise::render(&report),
        FormatArg::Json => report::json::render(&report),
    };
    let code = write_out(&text);
    let mut failed_io = code != ExitCode::SUCCESS;
    let mut err = anstream::stderr().lock();
    for w in &walk_errors {
        let _ = writeln!(err, "error: {}: {}", w.path, w.message);
        failed_io = true;
    }
    for (path, e) in report.errors() {
        let _ = writeln!(err, "error: {path}: {e}");
        failed_io = true;
    }
    if args.format == FormatArg::Human || args.format == FormatArg::Concise {
        let _ = writeln!(
            err,
            "{}",
            report::summary_line(&report, start.elapsed().as_secs_f64())
        );
    }
    if failed_io {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let failing = threshold.is_some_and(|t| report.diagnostics().any(|(_, d)| d.severity >= t));
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}
