//! The output writer's promises (issue 18, `spec/outputs.md`), held for every command that
//! writes: a FIFO or device is written to and never replaced; a symbolic link, a read-only file,
//! one of the command's inputs and two outputs in one place are refused; a run that fails, panics
//! or is killed (SIGKILL or SIGTERM, at random moments) publishes nothing and leaves no temporary
//! file; a closed pipe is the reader's choice (exit 0).

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use crate::support::root;

/// The synthetic batch every command reads (40 valid records).
const SAMPLE: &str = "fixtures/1.0/json/valid/ctdc-sample.jsonl";

/// A command that writes: its arguments, with `{in}` for the input, `{key}` for a key file,
/// `{out}` for the output under test and `{second}` / `{third}` for its other outputs.
struct Writer {
    name: &'static str,
    args: &'static [&'static str],
}

impl Writer {
    /// Whether it reads an input (`template` reads nothing).
    fn reads(&self) -> bool {
        self.args.contains(&"{in}")
    }

    /// The names its other outputs get in a workspace (`second.out`, `third.out`).
    fn others(&self) -> Vec<&'static str> {
        [("{second}", "second.out"), ("{third}", "third.out")]
            .into_iter()
            .filter(|(p, _)| self.args.contains(p))
            .map(|(_, name)| name)
            .collect()
    }
}

/// Every command that writes files.
const WRITERS: &[Writer] = &[
    Writer {
        name: "validate",
        args: &["validate", "{in}", "-o", "{out}"],
    },
    Writer {
        name: "convert",
        args: &["convert", "{in}", "-o", "{out}", "--report", "{second}"],
    },
    Writer {
        name: "migrate",
        args: &[
            "migrate", "--to", "2.0", "{in}", "-o", "{out}", "--report", "{second}",
        ],
    },
    Writer {
        name: "privacy",
        args: &["privacy", "{in}", "-o", "{out}"],
    },
    Writer {
        name: "anonymize",
        args: &[
            "anonymize",
            "--layout",
            "hub",
            "{in}",
            "-o",
            "{out}",
            "--tallies",
            "{second}",
            "--report",
            "{third}",
        ],
    },
    Writer {
        name: "pseudonymize",
        args: &["pseudonymize", "--key", "{key}", "{in}", "-o", "{out}"],
    },
    Writer {
        name: "template",
        args: &["template", "-o", "{out}"],
    },
];

/// A folder holding a command's input and key, where its outputs go; ctdx runs in it, with its
/// temporary folder (`TMPDIR`, where spools go) inside it too.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// The sample as `in.jsonl`, a key, and an empty `tmp/`.
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::copy(root().join(SAMPLE), dir.path().join("in.jsonl")).expect("copy the sample");
        fs::write(
            dir.path().join("partner.key"),
            format!("{}\n", "0f".repeat(32)),
        )
        .expect("write the key");
        fs::create_dir(dir.path().join("tmp")).expect("tmp folder");
        Self { dir }
    }

    /// The same with a batch of `records` records as `in.jsonl`, large enough to take a moment.
    fn big(records: usize) -> Self {
        let ws = Self::new();
        let sample = fs::read_to_string(root().join(SAMPLE)).expect("sample");
        let line = sample.lines().next().expect("a record").to_owned() + "\n";
        fs::write(ws.path("in.jsonl"), line.repeat(records)).expect("write the batch");
        ws
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The names in the folder (and in `tmp/`, prefixed).
    fn entries(&self) -> BTreeSet<String> {
        let list = |dir: &Path, prefix: &str| -> Vec<String> {
            fs::read_dir(dir)
                .expect("lists")
                .map(|e| {
                    format!(
                        "{prefix}{}",
                        e.expect("entry").file_name().to_string_lossy()
                    )
                })
                .collect()
        };
        let mut names: BTreeSet<String> = list(self.dir.path(), "").into_iter().collect();
        names.extend(list(&self.path("tmp"), "tmp/"));
        names
    }

    /// The arguments of `writer` with `out` as its output and fresh names for the others.
    fn args(&self, writer: &Writer, out: &Path) -> Vec<OsString> {
        writer
            .args
            .iter()
            .map(|arg| match *arg {
                // Relative, as reports name the input: the same in every workspace.
                "{in}" => "in.jsonl".into(),
                "{key}" => "partner.key".into(),
                "{out}" => out.as_os_str().to_owned(),
                "{second}" => self.path("second.out").into_os_string(),
                "{third}" => self.path("third.out").into_os_string(),
                other => other.into(),
            })
            .collect()
    }

    /// `ctdx` with `args`, run in the folder.
    fn command(&self, args: &[OsString]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ctdx"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("TMPDIR", self.path("tmp"))
            .env_remove("CTDX_DEBUG_PANIC")
            .env_remove("CTDX_DEBUG_NAMED_TEMPORARIES")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    fn run(&self, args: &[OsString]) -> Output {
        self.command(args).output().expect("ctdx runs")
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// What `writer` writes to a regular file (the reference for the other targets).
fn reference(writer: &Writer) -> Vec<u8> {
    let ws = Workspace::new();
    let out = ws.path("reference.out");
    let run = ws.run(&ws.args(writer, &out));
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}: {}",
        writer.name,
        stderr(&run)
    );
    fs::read(&out).expect("written")
}

fn mkfifo(path: &Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .expect("mkfifo");
}

#[test]
fn every_writer_writes_to_a_fifo_and_leaves_it_a_fifo() {
    for writer in WRITERS {
        let expected = reference(writer);
        let ws = Workspace::new();
        let fifo = ws.path("pipe");
        mkfifo(&fifo);
        let before = ws.entries();
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                fs::File::open(&fifo)
                    .and_then(|mut f| f.read_to_end(&mut bytes))
                    .expect("reads the FIFO");
                bytes
            })
        };
        let run = ws.run(&ws.args(writer, &fifo));
        // Should ctdx never have opened it, the reader still waits: let it go (without waiting
        // for a reader, should it be gone), and fail below.
        let flags = rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::NONBLOCK;
        let _ = rustix::fs::open(&fifo, flags, rustix::fs::Mode::empty());
        let read = reader.join().expect("reader");
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}: {}",
            writer.name,
            stderr(&run)
        );
        assert!(
            read == expected,
            "{}: the FIFO got what a file gets",
            writer.name
        );
        let kind = fs::symlink_metadata(&fifo)
            .expect("still there")
            .file_type();
        assert!(kind.is_fifo(), "{}: the FIFO is still a FIFO", writer.name);
        let mut after = before.clone();
        after.extend(writer.others().into_iter().map(str::to_owned));
        assert_eq!(
            ws.entries(),
            after,
            "{}: no temporary file left",
            writer.name
        );
    }
}

#[test]
fn dev_null_stays_a_device_whoever_runs_the_command() {
    // CI runs as root, who may replace /dev/null; ctdx writes to it instead.
    let null = Path::new("/dev/null");
    for writer in WRITERS {
        let ws = Workspace::new();
        let before = ws.entries();
        let mut args = ws.args(writer, null);
        for arg in &mut args {
            if arg.to_string_lossy().ends_with(".out") {
                *arg = null.as_os_str().to_owned();
            }
        }
        let run = ws.run(&args);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}: {}",
            writer.name,
            stderr(&run)
        );
        let meta = fs::symlink_metadata(null).expect("/dev/null");
        assert!(
            meta.file_type().is_char_device(),
            "{}: /dev/null is a device",
            writer.name
        );
        assert_eq!(
            ws.entries(),
            before,
            "{}: nothing written beside",
            writer.name
        );
    }
}

/// Runs `writer` into `target` and asserts it is refused: exit 2, `why` said, nothing written.
fn assert_refused(ws: &Workspace, writer: &Writer, target: &Path, why: &str) {
    let before = ws.entries();
    let run = ws.run(&ws.args(writer, target));
    let said = stderr(&run);
    assert_eq!(
        run.status.code(),
        Some(2),
        "{} into {target:?}: {said}",
        writer.name
    );
    assert!(
        said.contains(why),
        "{} into {target:?}: {said}",
        writer.name
    );
    assert!(said.contains("cannot write"), "{}: {said}", writer.name);
    assert_eq!(
        ws.entries(),
        before,
        "{}: nothing else written",
        writer.name
    );
}

#[test]
fn a_symbolic_link_a_read_only_file_and_an_input_are_refused() {
    for writer in WRITERS {
        let ws = Workspace::new();

        fs::write(ws.path("kept.txt"), "kept").expect("write");
        std::os::unix::fs::symlink("kept.txt", ws.path("link")).expect("symlink");
        assert_refused(&ws, writer, &ws.path("link"), "symbolic link");
        assert_eq!(fs::read_link(ws.path("link")).ok(), Some("kept.txt".into()));
        assert_eq!(
            fs::read_to_string(ws.path("kept.txt")).ok().as_deref(),
            Some("kept")
        );

        let read_only = ws.path("read-only.txt");
        fs::write(&read_only, "kept").expect("write");
        fs::set_permissions(&read_only, fs::Permissions::from_mode(0o444)).expect("chmod");
        assert_refused(&ws, writer, &read_only, "read-only");
        assert_eq!(fs::read_to_string(&read_only).ok().as_deref(), Some("kept"));
        let mode = fs::metadata(&read_only).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o444, "{}: its mode is kept", writer.name);

        assert_refused(&ws, writer, &ws.path("tmp"), "directory");

        if writer.reads() {
            let input = fs::read(ws.path("in.jsonl")).expect("input");
            assert_refused(&ws, writer, &ws.path("in.jsonl"), "it is the input");
            // The same file under another name: told by device and inode, not by name.
            fs::hard_link(ws.path("in.jsonl"), ws.path("also-in.jsonl")).expect("link");
            assert_refused(&ws, writer, &ws.path("also-in.jsonl"), "it is the input");
            assert!(
                fs::read(ws.path("in.jsonl")).expect("input") == input,
                "input intact"
            );
        }
    }
}

#[test]
fn standard_output_appended_to_an_input_is_refused() {
    // `ctdx validate in.jsonl >> in.jsonl`: standard output is the input itself.
    let ws = Workspace::new();
    let input = fs::read(ws.path("in.jsonl")).expect("input");
    let appended = fs::OpenOptions::new()
        .append(true)
        .open(ws.path("in.jsonl"))
        .expect("opens");
    let run = ws
        .command(&["validate".into(), "in.jsonl".into()])
        .stdout(appended)
        .output()
        .expect("ctdx runs");
    let said = stderr(&run);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(
        said.contains("cannot write standard output: it is the input"),
        "{said}"
    );
    assert!(
        fs::read(ws.path("in.jsonl")).expect("input") == input,
        "input intact"
    );
}

#[test]
fn two_outputs_in_one_place_are_refused() {
    for writer in WRITERS.iter().filter(|w| !w.others().is_empty()) {
        for other in writer.others() {
            let ws = Workspace::new();
            let before = ws.entries();
            let same = ws.path("same.out");
            let args: Vec<OsString> = ws
                .args(writer, &same)
                .into_iter()
                .map(|a| {
                    if a == ws.path(other).as_os_str() {
                        same.clone().into()
                    } else {
                        a
                    }
                })
                .collect();
            let run = ws.run(&args);
            let said = stderr(&run);
            assert_eq!(
                run.status.code(),
                Some(2),
                "{} {other}: {said}",
                writer.name
            );
            assert!(
                said.contains("name the same place"),
                "{}: {said}",
                writer.name
            );
            assert_eq!(ws.entries(), before, "{}: nothing written", writer.name);
        }
    }
}

#[test]
fn an_output_that_fails_when_published_takes_the_others_with_it() {
    // /dev/full takes no byte: the data file must not appear either, and the run exits 2.
    if !Path::new("/dev/full").exists() {
        return;
    }
    for writer in WRITERS.iter().filter(|w| !w.others().is_empty()) {
        let ws = Workspace::new();
        let before = ws.entries();
        let args: Vec<OsString> = ws
            .args(writer, &ws.path("data.out"))
            .into_iter()
            .map(|a| {
                if a == ws.path("second.out").as_os_str() {
                    "/dev/full".into()
                } else {
                    a
                }
            })
            .collect();
        let run = ws.run(&args);
        let said = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{}: {said}", writer.name);
        assert!(
            said.contains("cannot write /dev/full"),
            "{}: {said}",
            writer.name
        );
        assert_eq!(ws.entries(), before, "{}: nothing published", writer.name);
    }
}

#[test]
fn an_existing_file_keeps_its_mode_and_a_new_one_is_its_owners_only() {
    let ws = Workspace::new();
    let existing = ws.path("records.jsonl");
    fs::write(&existing, "old").expect("write");
    fs::set_permissions(&existing, fs::Permissions::from_mode(0o640)).expect("chmod");
    let convert =
        |out: &Path| ws.run(&["convert".into(), "in.jsonl".into(), "-o".into(), out.into()]);
    let run = convert(&existing);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_ne!(
        fs::read_to_string(&existing).expect("read"),
        "old",
        "replaced"
    );
    let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&existing), 0o640);
    let new = ws.path("new.jsonl");
    let run = convert(&new);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(mode(&new), 0o600);
}

#[test]
fn dash_is_standard_output_for_every_command() {
    let ws = Workspace::new();
    let before = ws.entries();
    for args in [
        &["convert", "in.jsonl", "-o", "-"][..],
        &["validate", "in.jsonl", "-o", "-"],
        &["privacy", "in.jsonl", "-o", "-"],
        &[
            "pseudonymize",
            "--key",
            "partner.key",
            "in.jsonl",
            "-o",
            "-",
        ],
        &["anonymize", "--layout", "hub", "in.jsonl", "-o", "-"],
        &["migrate", "--to", "2.0", "in.jsonl", "-o", "-"],
        &["template", "-o", "-"],
    ] {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let run = ws.run(&args);
        assert_eq!(run.status.code(), Some(0), "{args:?}: {}", stderr(&run));
        assert!(
            !run.stdout.is_empty(),
            "{args:?}: written to standard output"
        );
    }
    assert_eq!(ws.entries(), before, "no file named `-`");
}

#[test]
fn a_closed_pipe_is_the_readers_choice() {
    let ws = Workspace::new();
    let csv = root().join("fixtures/1.0/csv/valid/ctdc-global-2020.csv");
    for args in [
        &["validate", "in.jsonl"][..],
        &["validate", "--format", "json", "in.jsonl"],
        &["convert", "in.jsonl"],
        &["convert", "in.jsonl", "-o", "-"],
        &["migrate", "--to", "2.0", "in.jsonl"],
        &["privacy", "in.jsonl"],
        &["pseudonymize", "--key", "partner.key", "in.jsonl"],
        &["anonymize", "--layout", "hub", "in.jsonl", "-o", "-"],
        &["template"],
        &["schema", "diff", "--format", "json", "1.0", "2.0"],
        &["schema", "show", "2.0"],
        &["schema", "list"],
        &["explain", "--list"],
        &["explain", "S001"],
        &["profile", "list"],
        &["profile", "show", "ctdc-global-2020"],
        &["profile", "infer", &csv.to_string_lossy()],
    ] {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        // The reader goes before ctdx writes anything (`… | head -c0`), or after one byte
        // (`… | head -c1`).
        for bytes_read in [0, 1] {
            let mut child = ws.command(&args).spawn().expect("ctdx runs");
            let mut stdout = child.stdout.take().expect("piped");
            let mut first = vec![0; bytes_read];
            stdout.read_exact(&mut first).expect("one byte");
            drop(stdout);
            let run = child.wait_with_output().expect("ctdx finishes");
            let said = stderr(&run);
            assert_eq!(
                run.status.code(),
                Some(0),
                "{args:?} ({bytes_read}): {said}"
            );
            assert!(!said.contains("error:"), "{args:?} ({bytes_read}): {said}");
        }
    }
}

#[test]
fn a_panic_is_an_internal_error_that_publishes_nothing() {
    // The panic is injected by debug builds only (`cli::output`).
    if !cfg!(debug_assertions) {
        return;
    }
    for writer in WRITERS {
        let ws = Workspace::new();
        let out = ws.path("existing.out");
        fs::write(&out, "old").expect("write");
        let before = ws.entries();
        let run = ws
            .command(&ws.args(writer, &out))
            .env("CTDX_DEBUG_PANIC", "1")
            .output()
            .expect("ctdx runs");
        let said = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{}: {said}", writer.name);
        assert!(said.contains("internal error"), "{}: {said}", writer.name);
        assert!(said.contains(&format!("`ctdx {}`", writer.name)), "{said}");
        if writer.reads() {
            assert!(said.contains("in.jsonl"), "names the input: {said}");
        }
        assert!(
            !said.contains("panicked") && !said.contains("RUST_BACKTRACE"),
            "{said}"
        );
        assert_eq!(
            fs::read_to_string(&out).ok().as_deref(),
            Some("old"),
            "{}",
            writer.name
        );
        assert_eq!(ws.entries(), before, "{}: nothing published", writer.name);
    }
}

/// A random number (the moments at which runs are killed differ from run to run).
fn random() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(0u8)
}

/// Starts `writer` on the workspace's batch with `out` as its output and stops it with `signal`
/// after `after`; whether it was still running then.
fn kill_after(
    ws: &Workspace,
    writer: &Writer,
    out: &Path,
    signal: rustix::process::Signal,
    named: bool,
    after: Duration,
) -> bool {
    let mut command = ws.command(&ws.args(writer, out));
    command.stdout(Stdio::null()).stderr(Stdio::null());
    if named {
        command.env("CTDX_DEBUG_NAMED_TEMPORARIES", "1");
    }
    let mut child: Child = command.spawn().expect("ctdx runs");
    std::thread::sleep(after);
    let running = child.try_wait().expect("wait").is_none();
    rustix::process::kill_process(rustix::process::Pid::from_child(&child), signal)
        .or_else(|e| if running { Err(e) } else { Ok(()) })
        .expect("signal sent");
    child.wait().expect("reaped");
    running
}

#[test]
fn a_killed_writer_publishes_nothing_and_leaves_no_temporary_file() {
    use rustix::process::Signal;
    let ws = Workspace::big(60_000);
    let input = fs::read(ws.path("in.jsonl")).expect("input");
    let out = ws.path("existing.out");
    let mut killed = 0;
    for writer in WRITERS.iter().filter(|w| w.reads()) {
        // SIGKILL and SIGTERM, twice each, with unnamed temporaries; SIGTERM with named ones
        // (removed by the handler).
        let rounds = [
            (Signal::KILL, false),
            (Signal::TERM, false),
            (Signal::KILL, false),
            (Signal::TERM, false),
            (Signal::TERM, true),
            (Signal::INT, true),
            (Signal::HUP, true),
        ];
        // Named temporaries are forced by debug builds only (`cli::temporary`).
        for (signal, named) in rounds
            .into_iter()
            .filter(|(_, n)| cfg!(debug_assertions) || !n)
        {
            fs::write(&out, "old").expect("write");
            fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).expect("chmod");
            let before = ws.entries();
            let after = Duration::from_millis(5 + random() % 300);
            let what = format!(
                "{} killed by {signal:?} after {after:?} (named: {named})",
                writer.name
            );
            if !kill_after(&ws, writer, &out, signal, named, after) {
                // It finished first: a complete run, not what this test is about.
                continue;
            }
            killed += 1;
            assert_eq!(
                fs::read_to_string(&out).ok().as_deref(),
                Some("old"),
                "{what}"
            );
            let mode = fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o640, "{what}");
            assert_eq!(
                ws.entries(),
                before,
                "{what}: nothing published, no temporary left"
            );
        }
    }
    assert!(
        fs::read(ws.path("in.jsonl")).expect("input") == input,
        "the input is untouched"
    );
    assert!(
        killed >= 12,
        "most runs were killed while they ran ({killed})"
    );
}

#[test]
fn a_temporary_left_by_sigkill_is_swept_by_the_next_run() {
    use rustix::process::Signal;
    // Named temporaries are forced by debug builds only (`cli::temporary`).
    if !cfg!(debug_assertions) {
        return;
    }
    let ws = Workspace::big(60_000);
    let writer = &WRITERS[1]; // convert: its output is staged from the start
    let out = ws.path("existing.out");
    fs::write(&out, "old").expect("write");
    let before = ws.entries();
    let mut left = Vec::new();
    for _ in 0..5 {
        if kill_after(
            &ws,
            writer,
            &out,
            Signal::KILL,
            true,
            Duration::from_millis(200),
        ) {
            left = ws.entries().difference(&before).cloned().collect();
            if !left.is_empty() {
                break;
            }
        }
    }
    assert!(
        left.iter()
            .all(|n| n.starts_with(".ctdx-") && n.ends_with(".tmp")),
        "only named temporaries of ours: {left:?}"
    );
    assert!(
        !left.is_empty(),
        "SIGKILL cannot be caught: named temporaries stay"
    );
    // A minute later, the next run in that folder sweeps them (a live run's is locked, and
    // younger).
    let long_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for stale in &left {
        fs::File::options()
            .write(true)
            .open(ws.path(stale))
            .and_then(|f| f.set_modified(long_ago))
            .expect("aged");
    }
    let run = ws.run(&["template".into(), "-o".into(), "template.csv".into()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let mut expected = before.clone();
    expected.insert("template.csv".into());
    assert_eq!(ws.entries(), expected, "swept");
}

#[test]
fn schema_export_publishes_every_file_or_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_ctdx"))
            .args(["schema", "export", "--dir"])
            .arg(dir)
            .output()
            .expect("ctdx runs")
    };
    // One generated file's place is a symbolic link: refused, and no other file written.
    let blocked = dir.path().join("schema/report/report.schema.json");
    fs::create_dir_all(blocked.parent().expect("parent")).expect("folders");
    std::os::unix::fs::symlink("/nowhere", &blocked).expect("symlink");
    let refused = run(dir.path());
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("symbolic link"),
        "{}",
        stderr(&refused)
    );
    let files = |dir: &Path| -> usize {
        fn count(dir: &Path) -> usize {
            fs::read_dir(dir).map_or(0, |entries| {
                entries
                    .flatten()
                    .map(|e| {
                        let kind = e.file_type().expect("kind");
                        if kind.is_dir() {
                            count(&e.path())
                        } else {
                            usize::from(kind.is_file())
                        }
                    })
                    .sum()
            })
        }
        count(dir)
    };
    assert_eq!(files(dir.path()), 0, "no generated file was published");
    fs::remove_file(&blocked).expect("unblock");
    let written = run(dir.path());
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(files(dir.path()) >= 5, "every generated file written");
}
