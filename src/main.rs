//! The `trustlint` command: parse arguments, load the configuration, build
//! settings, run the library, render, and map the outcome to an exit code
//! (0 clean, 1 findings at or above `--fail-on`, 2 usage, configuration or
//! I/O error).
//!
//! One colour decision (`--color`, then `NO_COLOR` / `CLICOLOR_FORCE`
//! through anstream) drives clap's help and errors, miette's rendering and
//! our own messages. The report goes to stdout or `--output FILE` (written
//! atomically); the summary, errors and progress go to stderr.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Linting allocates many small strings and trees; mimalloc frees and
/// reuses them faster than the system allocator (see README, Performance).
#[global_allocator]
static GLOBAL: Allocator = Allocator;

/// mimalloc, asked through its plain entry points whenever the alignment
/// allows. The `mimalloc` crate's allocator calls `mi_malloc_aligned` for
/// every allocation, whose check for natural alignment (`mi_good_size`)
/// cost 3% of the instructions of a run over the corpus; every mimalloc
/// block is aligned to at least a machine word, so an alignment of up to
/// a word needs no check (the rule the standard library's allocator
/// applies to `malloc`).
struct Allocator;

/// The alignment every block from `mi_malloc` / `mi_realloc` has.
const WORD: usize = std::mem::size_of::<usize>();

/// Can a block of `size` bytes aligned to `align` come from the plain
/// entry points?
fn plain(align: usize, size: usize) -> bool {
    align <= WORD && align <= size
}

// SAFETY: every pointer comes from mimalloc and goes back to it; a layout
// whose alignment exceeds a word (or its size) takes mimalloc's aligned
// entry points, as `mimalloc::MiMalloc` does for all of them.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            libmimalloc_sys::mi_malloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            libmimalloc_sys::mi_zalloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if plain(layout.align(), new_size) {
            libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
        } else {
            libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

/// `mi_option_arena_eager_commit` (mimalloc.h, v2 and v3 alike).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Commit mimalloc's arenas as they are used rather than eagerly: a
/// quarter less peak memory on a 100,000-file tree at the same speed
/// (see Performance).
fn tune_allocator() {
    // SAFETY: sets an option value; mimalloc reads it when it next
    // reserves an arena. No pointer is passed.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) }
    // mimalloc advises transparent huge pages on its arenas, and the
    // kernel then backs (and zeroes) 2 MiB at the first touch of each:
    // without them, a seventh less peak memory at 100,000 files (sarif)
    // and nearly half on the corpus, at the same CPU time (see
    // Performance).
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with integer arguments only; it sets a flag of this
    // process, which the `git` that `trustlint diff` starts inherits (a
    // memory setting only: git runs as before).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use trustlint::baseline::{self, Baseline};
use trustlint::config::{self, Config, ConfigError};
use trustlint::diagnostic::Severity;
use trustlint::report::{self, human::HumanOptions};
use trustlint::rules::{self, RULES};
use trustlint::settings::Selection;
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
    Sarif,
    Github,
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
    /// Show which configuration file applies, or (--show) the effective configuration
    Config(ConfigArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from these definitions
    #[command(hide = true)]
    Man {
        /// Write trustlint.1 and one page per subcommand (trustlint-check.1, …) into this folder instead
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Who can assume each role, in plain words
    Explain(ExplainArgs),
    /// Which principals newly gain a role between two git revisions
    Diff(DiffArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
enum DiffFormat {
    Human,
    Json,
    Markdown,
    Github,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
enum DiffFailOn {
    Public,
    External,
    Any,
    Never,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The revision to compare against (a commit, branch or tag)
    base: String,
    /// HEAD (a revision; default: the working tree), then files or folders that narrow both sides
    #[arg(value_name = "HEAD] [PATHS")]
    rest: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
    /// Exit 1 when an added or widened grant has this exposure or wider
    #[arg(long, value_enum, default_value_t = DiffFailOn::External)]
    fail_on: DiffFailOn,
    #[command(flatten)]
    source: ConfigSource,
    /// Write the report to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Worker threads (default: number of CPUs)
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// Files or directories to read (default: the current directory)
    paths: Vec<PathBuf>,
    /// Only this role (its name, logical ID, Terraform address or ARN)
    #[arg(long, value_name = "NAME")]
    role: Option<String>,
    /// Output format
    #[arg(long, value_parser = ["human", "json", "markdown", "mermaid"], default_value = "human")]
    format: String,
    #[command(flatten)]
    source: ConfigSource,
    /// Write the report to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Worker threads (default: number of CPUs)
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
}

#[derive(clap::Args)]
struct ConfigSource {
    /// Use this configuration file instead of looking for trustlint.toml
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Use no configuration file (defaults and command-line flags only)
    #[arg(long)]
    no_config: bool,
}

#[derive(clap::Args)]
struct ConfigArgs {
    /// Print the effective configuration as TOML
    #[arg(long)]
    show: bool,
    /// Where to start looking for trustlint.toml (default: the current directory)
    path: Option<PathBuf>,
    #[command(flatten)]
    source: ConfigSource,
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
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Skip these rules (IDs or names, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    #[command(flatten)]
    source: ConfigSource,
    /// Report only findings that are not recorded in this baseline file
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file, then exit 0
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Write the report to this file instead of stdout (the summary still goes to stderr)
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also list the findings that suppressions and the baseline silenced
    #[arg(long)]
    show_suppressed: bool,
    /// Ignore `# trustlint:ignore` comments and template metadata suppressions
    #[arg(long)]
    no_inline_suppressions: bool,
    /// Worker threads (default: number of CPUs)
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// The name of the document read from standard input (`check -`): its extension picks the format, and the configuration is found from its folder
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Print how many findings each rule made (most first) instead of the findings
    #[arg(long)]
    statistics: bool,
    /// Exit 0 even when there are findings (configuration and I/O errors still exit 2)
    #[arg(long)]
    exit_zero: bool,
    /// Print the findings only: no summary, no notes on skipped files, no progress
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Print the version
    #[arg(long, short = 'V')]
    version: bool,
}

/// `--color` as given, read before clap parses so that clap's own help and
/// errors follow it too.
fn color_from_args() -> anstream::ColorChoice {
    let mut args = std::env::args_os().skip(1);
    let mut choice = anstream::ColorChoice::Auto;
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy().into_owned();
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--color=") {
            Some(v) => Some(v.to_owned()),
            None if arg == "--color" => args.next().map(|v| v.to_string_lossy().into_owned()),
            None => None,
        };
        match value.as_deref() {
            Some("always") => choice = anstream::ColorChoice::Always,
            Some("never") => choice = anstream::ColorChoice::Never,
            Some("auto") => choice = anstream::ColorChoice::Auto,
            _ => {}
        }
    }
    choice
}

fn main() -> ExitCode {
    tune_allocator();
    let choice = color_from_args();
    choice.write_global();
    let clap_color = match choice {
        anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi => {
            clap::ColorChoice::Always
        }
        anstream::ColorChoice::Never => clap::ColorChoice::Never,
        anstream::ColorChoice::Auto => clap::ColorChoice::Auto,
    };
    let matches = Cli::command().color(clap_color).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
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
            None => fail(&format!("no rule named `{rule}` (see `trustlint rules`)")),
        },
        Command::Config(args) => show_config(&args),
        Command::Check(args) => check(args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "trustlint", &mut out);
            write_out(&String::from_utf8_lossy(&out))
        }
        Command::Man { dir } => man(dir.as_deref()),
        Command::Explain(args) => explain(args),
        Command::Diff(args) => diff(args),
    }
}

/// `trustlint man`: the manual page from the clap definitions, so it never
/// drifts from `--help`.
fn man(dir: Option<&Path>) -> ExitCode {
    let cmd = Cli::command();
    if let Some(dir) = dir {
        return match std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir))
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&format!(
                "cannot write the manual pages to {}: {e}",
                dir.display()
            )),
        };
    }
    let mut out = Vec::new();
    match clap_mangen::Man::new(cmd).render(&mut out) {
        Ok(()) => write_out(&String::from_utf8_lossy(&out)),
        Err(e) => fail(&format!("cannot render the manual page: {e}")),
    }
}

/// The document `check -` reads: its name and bytes.
struct StdinDocument {
    name: String,
    bytes: Vec<u8>,
}

/// `check -` (or `--stdin-filename NAME` alone): read standard input, at
/// most `limit` bytes and one more (so an oversized input is seen as
/// such). `Ok(None)` when the paths are files and directories.
fn read_stdin_document(args: &CheckArgs, limit: u64) -> Result<Option<StdinDocument>, String> {
    let dash = args.paths.iter().any(|p| p.as_os_str() == "-");
    if dash && args.paths.len() > 1 {
        return Err("`-` (standard input) cannot be combined with other paths".to_owned());
    }
    if !dash && !args.paths.is_empty() {
        return match &args.stdin_filename {
            Some(_) => {
                Err("--stdin-filename names standard input: use it with `check -`".to_owned())
            }
            None => Ok(None),
        };
    }
    if !dash && args.stdin_filename.is_none() {
        return Ok(None);
    }
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let name = args
        .stdin_filename
        .as_deref()
        .map_or_else(|| "-".to_owned(), trustlint::discover::display_path);
    Ok(Some(StdinDocument { name, bytes }))
}

/// The paths a check starts from: for `check -`, the `--stdin-filename`
/// (its folder is where the configuration is looked for).
fn check_paths(args: &CheckArgs) -> Vec<PathBuf> {
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-")
        || (args.paths.is_empty() && args.stdin_filename.is_some());
    if stdin {
        vec![args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"))]
    } else if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    }
}

/// After the report: name every skipped file, then the summary line
/// (stderr, every format; `--quiet` drops both).
fn print_skips_and_summary(totals: &report::Totals, seconds: f64, concise: bool) {
    let mut err = anstream::stderr().lock();
    // A skipped policy is a finding lost: each skip is named with its
    // reason, as the summary's count promises.
    for (path, why) in &totals.skipped {
        let _ = writeln!(err, "note: skipped {path}: {why}");
    }
    // Limits reached are named too: what was cut short (SPEC §2).
    let _ = write!(err, "{}", report::limit_notes(totals, concise));
    let _ = writeln!(err, "{}", report::summary_line(totals, seconds));
}

/// Print an error on stderr and return exit code 2.
fn fail(message: &str) -> ExitCode {
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    let mut err = anstream::stderr().lock();
    let _ = writeln!(err, "{style}error{style:#}: {message}");
    ExitCode::from(2)
}

/// Write to stdout; a closed pipe ends quietly. The text is already
/// styled (or not) by the one colour decision, so it is written as is:
/// anstream's stripping pass would cost a scan of every byte.
fn write_out(s: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write output: {e}")),
    }
}

/// Write a report or baseline file as SPEC §6 says; see [`OutputFile`].
fn write_output(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut f = OutputFile::create(path)?;
    f.write_all(data)?;
    f.commit()
}

/// A report or baseline file being written, as SPEC §6 says: a regular
/// file (or a new one) is replaced atomically, a symbolic link is followed
/// to its target, a FIFO or device is written in place, and anything else
/// (a directory, a socket) is never replaced. The atomic kind writes a
/// temporary file in the same directory (created new, so never through a
/// link) and renames it over the target on [`OutputFile::commit`], so
/// readers never see a half-written report; the old file's permissions
/// are kept. Dropped without a commit, the temporary file is removed.
struct OutputFile {
    file: std::io::BufWriter<std::fs::File>,
    /// The temporary file and the target it replaces (atomic kind).
    replace: Option<(PathBuf, PathBuf)>,
    permissions: Option<std::fs::Permissions>,
}

impl OutputFile {
    fn create(path: &Path) -> std::io::Result<OutputFile> {
        let mut target = path.to_path_buf();
        for _ in 0..40 {
            let meta = match std::fs::symlink_metadata(&target) {
                Ok(m) => m,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return OutputFile::atomic(&target, None)
                }
                Err(e) => return Err(e),
            };
            let ft = meta.file_type();
            if ft.is_symlink() {
                let link = std::fs::read_link(&target)?;
                target = match target.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
                continue;
            }
            if ft.is_file() {
                return OutputFile::atomic(&target, Some(meta.permissions()));
            }
            if is_fifo_or_device(ft) {
                let f = std::fs::OpenOptions::new().write(true).open(&target)?;
                return Ok(OutputFile {
                    file: std::io::BufWriter::new(f),
                    replace: None,
                    permissions: None,
                });
            }
            return Err(std::io::Error::other(format!(
                "{} is not a regular file, FIFO or device; it is not replaced",
                trustlint::load::file::kind_of(ft)
            )));
        }
        Err(std::io::Error::other("too many levels of symbolic links"))
    }

    fn atomic(
        path: &Path,
        permissions: Option<std::fs::Permissions>,
    ) -> std::io::Result<OutputFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| std::io::Error::other("not a file name"))?
            .to_string_lossy()
            .into_owned();
        let mut attempt = 0;
        loop {
            let tmp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Ok(f) => {
                    return Ok(OutputFile {
                        file: std::io::BufWriter::new(f),
                        replace: Some((tmp, path.to_path_buf())),
                        permissions,
                    })
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Finish the file: flushed, and put in place of the target.
    fn commit(mut self) -> std::io::Result<()> {
        self.file.flush()?;
        let Some((tmp, target)) = self.replace.take() else {
            return Ok(());
        };
        let done = (|| {
            let f = self.file.get_ref();
            if let Some(p) = self.permissions.take() {
                f.set_permissions(p)?;
            }
            f.sync_all()?;
            std::fs::rename(&tmp, &target)
        })();
        if done.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        done
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        if let Some((tmp, _)) = &self.replace {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

#[cfg(unix)]
fn is_fifo_or_device(ft: std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt as _;
    ft.is_fifo() || ft.is_char_device() || ft.is_block_device()
}

#[cfg(not(unix))]
fn is_fifo_or_device(_: std::fs::FileType) -> bool {
    false
}

/// Where `check` writes its report.
enum Sink {
    File(OutputFile),
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// Only a baseline is written.
    Nowhere,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::File(f) => f.write(buf),
            Sink::Stdout(s) => s.write(buf),
            Sink::Nowhere => Ok(buf.len()),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::File(f) => f.flush(),
            Sink::Stdout(s) => s.flush(),
            Sink::Nowhere => Ok(()),
        }
    }
}

/// A writer that keeps the first error and swallows the rest of the
/// output: a report streams while linting goes on, and a closed pipe or a
/// full disk must not stop the run's summary and exit code.
struct Keep<W: Write> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Keep<W> {
    fn new(inner: W) -> Keep<W> {
        Keep { inner, error: None }
    }

    /// Flush; the first error of the whole output, if any.
    fn finish(mut self) -> Result<W, std::io::Error> {
        if self.error.is_none() {
            if let Err(e) = self.inner.flush() {
                self.error = Some(e);
            }
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.inner),
        }
    }
}

impl<W: Write> Write for Keep<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.error.is_none() {
            if let Err(e) = self.inner.write_all(buf) {
                self.error = Some(e);
            }
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
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

fn stderr_human_options() -> HumanOptions {
    HumanOptions {
        color: anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never,
        width: terminal_width(),
    }
}

fn print_config_errors(errors: &[ConfigError]) -> ExitCode {
    let opts = stderr_human_options();
    let mut err = anstream::stderr().lock();
    for (i, e) in errors.iter().enumerate() {
        let sep = if i > 0 { "\n" } else { "" };
        let _ = write!(err, "{sep}{}", report::human::render_config_error(e, &opts));
    }
    ExitCode::from(2)
}

/// The configuration for a run: `--config FILE`, none with `--no-config`,
/// or the first trustlint.toml / .trustlint.toml found walking up from `start`.
fn load_config(source: &ConfigSource, start: &Path) -> Result<Config, Vec<ConfigError>> {
    if source.no_config {
        return Ok(Config::default());
    }
    let file = match &source.config {
        Some(f) => Some(f.clone()),
        None => config::discover(start),
    };
    match file {
        Some(f) => Config::load(&f),
        None => Ok(Config::default()),
    }
}

fn show_config(args: &ConfigArgs) -> ExitCode {
    let start = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let config = match load_config(&args.source, &start) {
        Ok(c) => c,
        Err(errors) => return print_config_errors(&errors),
    };
    if !args.show {
        return match &config.path {
            Some(p) => write_out(&format!("{}\n", config::shown(p))),
            None => write_out("no configuration file found\n"),
        };
    }
    let mut settings = Settings::default();
    config.apply(&mut settings);
    write_out(&config.effective(&settings))
}

/// Is this a CI run (where no progress is shown)?
fn in_ci() -> bool {
    [
        "CI",
        "GITHUB_ACTIONS",
        "GITLAB_CI",
        "BUILDKITE",
        "JENKINS_URL",
        "TF_BUILD",
    ]
    .iter()
    .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty() && x != "false"))
}

/// A `done / total` counter on stderr, drawn only once a scan has lasted
/// a second, cleared when it ends.
struct Progress {
    stop: mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Progress {
    fn start(done: Arc<AtomicUsize>, total: usize) -> Progress {
        let (stop, rx) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut width = 0;
            while let Err(mpsc::RecvTimeoutError::Timeout) =
                rx.recv_timeout(Duration::from_millis(100))
            {
                if started.elapsed() < Duration::from_secs(1) {
                    continue;
                }
                let line = format!(
                    "\rchecking files: {} / {total}",
                    done.load(Ordering::Relaxed).min(total)
                );
                width = width.max(line.len());
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(line.as_bytes()).and_then(|()| err.flush());
            }
            if width > 0 {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r{:width$}\r", "");
                let _ = err.flush();
            }
        });
        Progress { stop, thread }
    }

    fn finish(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

/// The configuration of a run: one for every path (`--config FILE`, read
/// from `config_file`, or `--no-config`), or the nearest one per folder.
/// `Err` is the exit code, after the file's problems are printed.
fn resolver<'a>(
    source: &ConfigSource,
    config_file: Option<&Path>,
    make: &'a config::MakeSettings<'a>,
) -> Result<config::Resolver<'a>, ExitCode> {
    if source.no_config {
        return Ok(config::Resolver::fixed(Config::default(), make));
    }
    match config_file {
        Some(file) => match Config::load(file) {
            Ok(c) => Ok(config::Resolver::fixed(c, make)),
            Err(errors) => Err(print_config_errors(&errors)),
        },
        None => Ok(config::Resolver::nearest(make)),
    }
}

/// Whether a human report is coloured: as `--color` forces for a file,
/// as the terminal says for stdout (one decision for every command).
fn report_color(to_file: bool) -> bool {
    if to_file {
        anstream::ColorChoice::global() == anstream::ColorChoice::Always
    } else {
        anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
    }
}

/// Write a report to `--output FILE` (SPEC §6) or stdout.
fn emit(output: Option<&Path>, text: &str) -> ExitCode {
    match output {
        Some(file) => match write_output(file, text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&format!("cannot write {}: {e}", file.display())),
        },
        None => write_out(text),
    }
}

/// `--jobs N`, or the number of CPUs.
fn jobs_or_cpus(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Baseline files larger than this are refused.
const MAX_BASELINE_FILE: u64 = 256 << 20;

fn check(args: CheckArgs) -> ExitCode {
    if args.version {
        return write_out(&format!("trustlint {}\n", env!("CARGO_PKG_VERSION")));
    }
    let start = Instant::now();
    let paths = check_paths(&args);
    let select = if args.select.is_empty() {
        None
    } else {
        match resolve_rules(&args.select) {
            Ok(r) => Some(r),
            Err(e) => return fail(&e),
        }
    };
    let ignore = match resolve_rules(&args.ignore) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let cli_selection = Selection { select, ignore };
    let inline_suppressions = !args.no_inline_suppressions;
    // Every configuration's settings, with the command line's layers.
    let make = |config: &Config| {
        let mut settings = Settings::default();
        config.apply(&mut settings);
        settings.cli_selection = cli_selection.clone();
        settings.resolve_selection();
        settings.inline_suppressions = inline_suppressions;
        settings
    };
    // `--config FILE` and `--no-config` give every path one configuration;
    // otherwise each file has the nearest one up from its folder.
    let resolver = match resolver(&args.source, args.source.config.as_deref(), &make) {
        Ok(r) => r,
        Err(code) => return code,
    };

    let jobs = jobs_or_cpus(args.jobs);
    let stdin = match read_stdin_document(&args, Settings::default().max_file_size) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let found = match stdin {
        Some(_) => trustlint::discover::Discovery::default(),
        None => trustlint::discover::discover_with(&paths, &resolver, jobs),
    };
    // Standard input is configured as a file of its `--stdin-filename`'s
    // folder would be.
    let scope = match &stdin {
        Some(doc) => {
            let dir = Path::new(&doc.name)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            resolver.scope(dir)
        }
        None => resolver.default_scope(),
    };
    let config_errors = resolver.errors();
    if !config_errors.is_empty() {
        return print_config_errors(&config_errors);
    }
    let inputs = found.inputs;
    let walk_notes = found.notes;
    // The baseline is read before linting: a bad one ends the run at once.
    let baseline = match &args.baseline {
        Some(file) => {
            let text = match trustlint::load::file::read_text(
                file,
                MAX_BASELINE_FILE,
                trustlint::load::file::Follow::Yes,
            ) {
                Ok(t) => t,
                Err(e) => {
                    return fail(&format!("cannot read the baseline {}: {e}", file.display()))
                }
            };
            match Baseline::parse(&text) {
                Ok(b) => Some((b, baseline::base_dir(file))),
                Err(e) => return fail(&format!("{}: {e}", file.display())),
            }
        }
        None => None,
    };
    let root = std::env::current_dir()
        .ok()
        .and_then(|d| std::path::absolute(d).ok())
        .unwrap_or_else(|| PathBuf::from("."));
    // The report goes to `--output`, or stdout; nowhere when only a
    // baseline is written.
    let to_file = args.output.is_some();
    let writes_report = args.write_baseline.is_none() || to_file;
    let output = match &args.output {
        Some(file) if writes_report => match OutputFile::create(file) {
            Ok(f) => Some(f),
            Err(e) => return fail(&format!("cannot write {}: {e}", file.display())),
        },
        _ => None,
    };
    let sink = match output {
        Some(f) => Sink::File(f),
        None if writes_report => Sink::Stdout(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stdout().lock(),
        )),
        None => Sink::Nowhere,
    };
    let mut out = Keep::new(sink);
    let sarif_options = report::sarif::SarifOptions {
        root: &root,
        show_suppressed: args.show_suppressed,
        errors: &[],
    };
    let mut renderer: Box<dyn report::Render> = match args.format {
        FormatArg::Json if args.statistics => Box::new(report::statistics::Statistics::new(true)),
        _ if args.statistics => Box::new(report::statistics::Statistics::new(false)),
        FormatArg::Human => Box::new(report::human::Human::new(
            &HumanOptions {
                color: report_color(to_file),
                width: terminal_width(),
            },
            args.show_suppressed,
        )),
        FormatArg::Concise => Box::new(report::concise::Concise::new(args.show_suppressed)),
        FormatArg::Json => Box::new(report::json::Json::new(args.show_suppressed)),
        FormatArg::Sarif => Box::new(report::sarif::Sarif::new(&sarif_options)),
        FormatArg::Github => Box::new(report::github::Github::new(&root)),
    };

    let mut settings = (*scope.settings).clone();
    // Progress, when findings do not stream to the same terminal.
    let progress = (args.format == FormatArg::Human
        && !args.quiet
        && std::io::stderr().is_terminal()
        && (to_file || !std::io::stdout().is_terminal())
        && !in_ci()
        && inputs.len() > 1)
        .then(|| {
            let done = Arc::new(AtomicUsize::new(0));
            settings.progress = Some(done.clone());
            Progress::start(done, inputs.len())
        });

    // Each file's report, in path order, as soon as it is ready: recorded
    // for a new baseline, silenced by the old one, counted, written.
    let mut totals = report::Totals {
        errors: found
            .errors
            .iter()
            .map(|w| (w.path.clone(), w.message.clone()))
            .collect(),
        ..report::Totals::default()
    };
    let mut recorder = args
        .write_baseline
        .as_deref()
        .map(|f| baseline::Recorder::new(&baseline::base_dir(f)));
    let mut applier = baseline
        .as_ref()
        .map(|(b, dir)| baseline::Applier::new(b, dir));
    let _ = renderer.begin(&mut out);
    let mut each = |mut f: trustlint::FileReport| {
        if let Some(r) = &mut recorder {
            r.add(&f);
        }
        if let Some(a) = &mut applier {
            a.apply(&mut f);
        }
        totals.add(&f);
        let _ = renderer.file(&mut out, &f);
    };
    match stdin {
        Some(doc) => each(trustlint::lint::lint_stdin(&doc.name, doc.bytes, &settings)),
        None => trustlint::lint::lint_each::<()>(&inputs, &settings, jobs, None, |f, _| {
            each(f);
            std::ops::ControlFlow::Continue(())
        }),
    }
    if let Some(p) = progress {
        p.finish();
    }
    let _ = renderer.end(&mut out, &totals);
    drop(renderer);

    let errors = &totals.errors;
    let print_errors = || {
        for (path, message) in errors {
            fail(&format!("{path}: {message}"));
        }
        // What the walk could not use in full (ignore files) is said too.
        let mut err = anstream::stderr().lock();
        for n in &walk_notes {
            let _ = writeln!(err, "note: {}: {}", n.path, n.message);
        }
    };

    if let (Some(file), Some(recorder)) = (&args.write_baseline, recorder) {
        let b = recorder.finish();
        if let Err(e) = write_output(file, b.to_json().as_bytes()) {
            return fail(&format!("cannot write {}: {e}", file.display()));
        }
        let n: usize = b.findings.iter().map(|e| e.count).sum();
        let mut err = anstream::stderr().lock();
        // A baseline written while a limit cut checking short lacks the
        // findings past it: say so.
        let _ = write!(err, "{}", report::limit_notes(&totals, false));
        let _ = writeln!(
            err,
            "Wrote {n} finding{} to the baseline {}.",
            if n == 1 { "" } else { "s" },
            file.display()
        );
        drop(err);
        // The report too, when it has a file of its own.
        if !writes_report {
            print_errors();
            return if errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    }

    let mut code = match out.finish() {
        // The report file is put in place only when whole.
        Ok(Sink::File(f)) => match f.commit() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&format!(
                "cannot write {}: {e}",
                args.output.as_deref().unwrap_or(Path::new("-")).display()
            )),
        },
        Ok(_) => ExitCode::SUCCESS,
        // A closed pipe ends the output quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && !to_file => ExitCode::SUCCESS,
        Err(e) => match &args.output {
            Some(file) => fail(&format!("cannot write {}: {e}", file.display())),
            None => fail(&format!("cannot write output: {e}")),
        },
    };
    print_errors();
    if !args.quiet {
        print_skips_and_summary(
            &totals,
            start.elapsed().as_secs_f64(),
            args.format == FormatArg::Concise,
        );
    }
    if !errors.is_empty() {
        code = ExitCode::from(2);
    }
    // Writing a baseline accepts today's findings.
    if code != ExitCode::SUCCESS || args.write_baseline.is_some() {
        return code;
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let threshold = threshold.filter(|_| !args.exit_zero);
    let failing = threshold.is_some_and(|t| totals.worst.is_some_and(|w| w >= t));
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `explain`: the `check` pipeline (discovery, per-folder configuration),
/// then the grants of every role (SPEC §3.1). Exit 0, or 2 when a file
/// cannot be read or `--role` names no role.
fn explain(args: ExplainArgs) -> ExitCode {
    use trustlint::explain::{self, render};
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let make = |config: &Config| {
        let mut settings = Settings::default();
        config.apply(&mut settings);
        settings.resolve_selection();
        settings
    };
    let resolver = match resolver(&args.source, args.source.config.as_deref(), &make) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let jobs = jobs_or_cpus(args.jobs);
    let found = trustlint::discover::discover_with(&paths, &resolver, jobs);
    let config_errors = resolver.errors();
    if !config_errors.is_empty() {
        return print_config_errors(&config_errors);
    }
    let settings = (*resolver.default_scope().settings).clone();
    let (report, explained) =
        explain::explain(&found.inputs, &settings, jobs, args.role.as_deref());
    let text = match args.format.as_str() {
        "json" => render::json(&explained),
        "markdown" => render::markdown(&explained),
        "mermaid" => render::mermaid(&explained),
        _ => {
            let color = report_color(args.output.is_some());
            render::human(&explained, color)
        }
    };
    let mut code = emit(args.output.as_deref(), &text);
    let errors = found
        .errors
        .iter()
        .map(|w| (w.path.as_str(), w.message.as_str()))
        .chain(report.errors());
    for (path, message) in errors {
        code = fail(&format!("{path}: {message}"));
    }
    if let Some(role) = &args.role {
        if explained.roles.is_empty() {
            code = fail(&format!("no role named `{role}` was found"));
        }
    }
    code
}

/// `diff`: the grants of two revisions compared (SPEC §3.2). Exit 1
/// when an added or widened grant reaches `--fail-on`, 2 on a usage, git
/// or I/O error.
fn diff(args: DiffArgs) -> ExitCode {
    use trustlint::diff::{self, git, render};
    use trustlint::explain::Exposure;
    if args.base.starts_with('-') {
        return fail(&format!("`{}` is not a revision", args.base));
    }
    let cwd = match std::env::current_dir().and_then(std::path::absolute) {
        Ok(d) => d,
        Err(e) => return fail(&format!("cannot read the current directory: {e}")),
    };
    let top = match git::toplevel(&cwd) {
        Ok(t) => t,
        Err(e) => return fail(&format!("{e} (run trustlint diff inside a git repository)")),
    };
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let top_c = canon(&top);
    let cwd_c = canon(&cwd);
    // HEAD is the first argument after BASE when it is not a file or
    // folder; the rest narrow both sides.
    let mut rest = args.rest.as_slice();
    let mut head = None;
    if let Some(first) = rest.first() {
        if !cwd.join(first).exists() {
            if first.starts_with('-') {
                return fail(&format!("`{first}` is not a revision"));
            }
            head = Some(first.clone());
            rest = &rest[1..];
        }
    }
    let mut prefixes = Vec::new();
    for p in rest {
        // A path of either side, relative to the repository's root; it
        // may exist only in BASE.
        let abs = trustlint::settings::normalize(&cwd_c.join(p));
        let abs = match std::fs::canonicalize(&abs) {
            Ok(c) => c,
            Err(_) => abs,
        };
        match abs.strip_prefix(&top_c) {
            Ok(rel) => {
                let rel = trustlint::discover::display_path(rel);
                prefixes.push(if rel.is_empty() { ".".to_owned() } else { rel });
            }
            Err(_) => return fail(&format!("{p} is outside the repository")),
        }
    }
    if let Err(e) = std::env::set_current_dir(&top) {
        return fail(&format!("cannot enter the repository's root: {e}"));
    }
    let make = |config: &Config| {
        let mut settings = Settings::default();
        config.apply(&mut settings);
        settings.resolve_selection();
        settings
    };
    // `--config` is relative to where the command was run, not the root.
    let config_file = args.source.config.as_ref().map(|f| cwd.join(f));
    let resolver = match resolver(&args.source, config_file.as_deref(), &make) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let jobs = jobs_or_cpus(args.jobs);
    let settings = (*resolver.default_scope().settings).clone();
    let outcome = diff::diff(&diff::Request {
        base: &args.base,
        head: head.as_deref(),
        prefixes: &prefixes,
        scopes: &resolver,
        settings: &settings,
        jobs,
    });
    let config_errors = resolver.errors();
    if !config_errors.is_empty() {
        return print_config_errors(&config_errors);
    }
    let d = match outcome {
        Ok(d) => d,
        Err(e) => return fail(&e.to_string()),
    };
    let text = match args.format {
        DiffFormat::Json => render::json(&d),
        DiffFormat::Markdown => render::markdown(&d),
        DiffFormat::Github => render::github(&d),
        DiffFormat::Human => {
            let color = report_color(args.output.is_some());
            render::human(&d, color)
        }
    };
    // `--output` is relative to where the command was run, not the root.
    let output = args.output.as_ref().map(|f| cwd.join(f));
    let mut code = emit(output.as_deref(), &text);
    {
        let mut err = anstream::stderr().lock();
        for n in &d.notes {
            let _ = writeln!(err, "note: {n}");
        }
    }
    for (path, message) in &d.errors {
        code = fail(&format!("{path}: {message}"));
    }
    if code != ExitCode::SUCCESS {
        return code;
    }
    let threshold = match args.fail_on {
        DiffFailOn::Never => return ExitCode::SUCCESS,
        DiffFailOn::Public => Some(Exposure::Public),
        DiffFailOn::External => Some(Exposure::External),
        DiffFailOn::Any => None,
    };
    if diff::fails(&d, threshold) {
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
