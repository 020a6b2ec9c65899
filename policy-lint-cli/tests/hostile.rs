//! Hostile inputs, each on the real binary. Inputs are generated into a
//! temporary directory at test time (nothing big is committed). No test here
//! asserts on timing; a hang fails through the watchdog in `run`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_policy-lint");

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("policy-lint-hostile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Make the unreadable file removable again.
        let _ = make_readable(&self.0.join("unreadable.json"));
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn make_readable(p: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o644))
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary; fails the test if it has not ended after two minutes
/// (it would hang on a FIFO it opened).
fn run(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn policy-lint");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("policy-lint {args:?} did not end by itself");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().expect("stdout")).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr")).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "policy-lint panicked on {args:?}:\n{stderr}"
    );
    Output {
        code: status.code().expect("exited normally, not by a signal"),
        stdout,
        stderr,
    }
}

const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}"#;

/// Writes every hostile input into `dir`; returns the names of the files
/// that are not JSON (each must get a JSON001 naming it).
fn write_hostile(dir: &Path) -> Vec<(&'static str, &'static str)> {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).expect("write");
    w("empty.json", b"");
    w("whitespace.json", b"  \n\t\r\n  ");
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
    w("binary.json", &binary);
    w(
        "invalid-utf8.json",
        b"{\"Statement\": [], \"x\": \"\xff\xfe\"}",
    );
    w("bom.json", format!("\u{feff}{POLICY}").as_bytes());
    w(
        "deep-arrays.json",
        format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)).as_bytes(),
    );
    w(
        "deep-objects.json",
        format!("{}1{}", "{\"a\":".repeat(200_000), "}".repeat(200_000)).as_bytes(),
    );
    let mut big = String::with_capacity(4_000_002);
    big.push('[');
    for i in 0..2_000_000 {
        if i > 0 {
            big.push(',');
        }
        big.push('0');
    }
    big.push(']');
    w("two-million-elements.json", big.as_bytes());
    drop(big);
    let long = "a".repeat(40 * 1024 * 1024);
    w(
        "forty-megabyte-string.json",
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "{long}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}}]}}"#
        )
        .as_bytes(),
    );
    drop(long);
    w(
        "lone-surrogate.json",
        br#"{"Statement": [], "x": "\ud800"}"#,
    );
    w(
        "number-out-of-range.json",
        br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*", "Condition": {"NumericLessThan": {"s3:max-keys": 1e999}}}]}"#,
    );
    w("nan.json", br#"{"Statement": [], "x": NaN}"#);
    w("trailing-comma.json", br#"{"Statement": [],}"#);
    w("comments.json", b"// a comment\n{\"Statement\": []}");
    std::fs::create_dir(dir.join("directory.json")).expect("mkdir");
    std::fs::write(dir.join("directory.json").join("inside.json"), POLICY).expect("write");
    std::os::unix::fs::symlink("loop.json", dir.join("loop.json")).expect("symlink");
    let fifo = Command::new("mkfifo")
        .arg(dir.join("fifo.json"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(fifo, "mkfifo is needed for the FIFO case");
    w("unreadable.json", POLICY.as_bytes());
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("unreadable.json"),
            std::fs::Permissions::from_mode(0o000),
        )
        .expect("chmod");
    }
    w(
        "real-finding.json",
        br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*", "Effect": "Deny"}]}"#,
    );
    vec![
        ("empty.json", "file is empty"),
        ("whitespace.json", "file is empty"),
        ("binary.json", "JSON001"),
        ("invalid-utf8.json", "not valid UTF-8"),
        ("deep-arrays.json", "nesting is deeper than 256 levels"),
        ("deep-objects.json", "nesting is deeper than 256 levels"),
        ("lone-surrogate.json", "lone surrogate"),
        ("nan.json", "NaN is not valid JSON"),
        ("trailing-comma.json", "trailing comma"),
        ("comments.json", "comments are not allowed"),
    ]
}

/// Whether this process can read a file whose mode is 000 (root can).
fn can_read_anything(p: &Path) -> bool {
    std::fs::read(p).is_ok()
}

fn diagnostics_of<'a>(json: &'a serde_json::Value, file: &str) -> Vec<&'a serde_json::Value> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["file"].as_str().is_some_and(|f| f.ends_with(file)))
        .collect()
}

#[test]
fn one_run_over_every_hostile_input_ends_names_each_and_keeps_the_real_finding() {
    let tmp = TempDir::new("all");
    let dir = tmp.path();
    let invalid = write_hostile(dir);
    let root = can_read_anything(&dir.join("unreadable.json"));
    let out = run(&[
        "check",
        "--format",
        "json",
        dir.to_str().expect("utf-8 path"),
    ]);
    assert!(
        out.code == 1 || out.code == 2,
        "exit {}: {}",
        out.code,
        out.stderr
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON output");
    for (file, message) in &invalid {
        let found = diagnostics_of(&json, file);
        assert!(
            found.iter().any(|d| d["code"] == "JSON001"
                && (message == &"JSON001"
                    || d["message"].as_str().is_some_and(|m| m.contains(message)))),
            "{file}: expected JSON001 `{message}`, got {found:#?}"
        );
    }
    // Valid, if odd, inputs are linted without a syntax error.
    for file in [
        "bom.json",
        "two-million-elements.json",
        "forty-megabyte-string.json",
        "number-out-of-range.json",
        "inside.json",
    ] {
        let found = diagnostics_of(&json, file);
        assert!(
            found
                .iter()
                .all(|d| d["code"] != "JSON001" && d["code"] != "JSON004"),
            "{file}: {found:#?}"
        );
    }
    // The FIFO and the symlink loop are skipped without being opened, and named.
    assert!(
        out.stderr.contains("fifo.json`: not a regular file"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("loop.json`: a symbolic link"),
        "{}",
        out.stderr
    );
    if root {
        eprintln!(
            "running as root: chmod 000 does not stop reads, unreadable-file assertion skipped"
        );
    } else {
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains("cannot read") && out.stderr.contains("unreadable.json"),
            "{}",
            out.stderr
        );
    }
    // The real finding is still reported.
    let real = diagnostics_of(&json, "real-finding.json");
    assert!(real.iter().any(|d| d["code"] == "JSON002"), "{real:#?}");
    // 16 regular files + the one in directory.json, less the unreadable one.
    let files = json["summary"]["files"].as_u64().expect("files");
    assert_eq!(files, if root { 17 } else { 16 });
}

#[test]
fn a_fifo_named_on_the_command_line_is_reported_and_skipped() {
    let tmp = TempDir::new("fifo");
    let fifo = tmp.path().join("x.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
    );
    let good = tmp.path().join("good.json");
    std::fs::write(&good, POLICY).expect("write");
    let out = run(&[
        "check",
        "--format",
        "concise",
        fifo.to_str().expect("path"),
        good.to_str().expect("path"),
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("x.json` is not a regular file or directory"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_symlink_loop_or_unreadable_file_named_on_the_command_line_fails_the_run() {
    let tmp = TempDir::new("named");
    let lp = tmp.path().join("loop.json");
    std::os::unix::fs::symlink("loop.json", &lp).expect("symlink");
    let out = run(&["check", lp.to_str().expect("path")]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("loop.json"), "{}", out.stderr);

    let unreadable = tmp.path().join("unreadable.json");
    std::fs::write(&unreadable, POLICY).expect("write");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000))
            .expect("chmod");
    }
    if can_read_anything(&unreadable) {
        eprintln!("running as root: chmod 000 does not stop reads, assertion skipped");
        return;
    }
    let out = run(&["check", unreadable.to_str().expect("path")]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot read") && out.stderr.contains("unreadable.json"),
        "{}",
        out.stderr
    );
}

#[test]
fn control_characters_from_inputs_never_reach_the_terminal() {
    let tmp = TempDir::new("escapes");
    // A valid policy whose strings carry C1 controls and a bidi override,
    // a file name with an escape, and an invalid file with a raw ESC.
    let evil = tmp.path().join("evil\u{1b}[31m.json");
    std::fs::write(
        &evil,
        "{\"Statement\": [{\"Sid\": \"a\u{9b}31m\u{202e}b\", \"Effect\": \"Allow\", \"Effect\": \"Deny\"}]}",
    )
    .expect("write");
    std::fs::write(
        tmp.path().join("raw-esc.json"),
        "{\"a\": 1}\u{1b}]0;title\u{7}\r",
    )
    .expect("write");
    for format in ["human", "concise", "json"] {
        let out = run(&[
            "check",
            "--format",
            format,
            "--color",
            "never",
            tmp.path().to_str().expect("path"),
        ]);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\r'] {
            assert!(
                !out.stdout.contains(bad) && !out.stderr.contains(bad),
                "{format} output carries {bad:?}:\n{}",
                out.stdout
            );
        }
    }
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            let meta = std::fs::symlink_metadata(&p).expect("metadata");
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                let bytes = std::fs::read(&p).unwrap_or_default();
                out.push((p, bytes, meta.modified().expect("mtime")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn inputs_are_unchanged_byte_for_byte_after_a_run() {
    let tmp = TempDir::new("unchanged");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut n = 0;
    let mut stack = vec![fixtures.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                n += 1;
                std::fs::copy(&p, tmp.path().join(format!("{n}.json"))).expect("copy");
            }
        }
    }
    std::fs::write(
        tmp.path().join("dup.json"),
        r#"{"Statement": [], "Statement": []}"#,
    )
    .expect("write");
    std::fs::write(tmp.path().join("broken.json"), "{\"Statement\": [").expect("write");
    let before = snapshot(tmp.path());
    for format in ["human", "concise", "json"] {
        let out = run(&[
            "check",
            "--format",
            format,
            tmp.path().to_str().expect("path"),
        ]);
        assert_eq!(out.code, 1);
    }
    assert_eq!(snapshot(tmp.path()), before, "an input changed");
}

#[test]
fn the_source_never_writes_fetches_or_executes() {
    // The library does no I/O at all; the CLI only reads. Any of these in
    // the source needs a review of this test first.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let forbidden = [
        "std::net",
        "TcpStream",
        "UdpSocket",
        "process::Command",
        "Command::new",
        "fs::write",
        "File::create",
        "OpenOptions",
        "remove_file",
        "set_permissions",
    ];
    let mut stack = vec![
        root.join("policy-lint/src"),
        root.join("policy-lint-cli/src"),
    ];
    let mut checked = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                checked += 1;
                let text = std::fs::read_to_string(&p).expect("read source");
                for f in forbidden {
                    // The one write: the baseline file the user names with
                    // `--write-baseline` (never an input).
                    let allowed =
                        usize::from(f == "fs::write" && p.ends_with("policy-lint-cli/src/lib.rs"));
                    assert!(
                        text.matches(f).count() <= allowed,
                        "{} uses `{f}`",
                        p.display()
                    );
                }
            }
        }
    }
    assert!(checked > 10);
}
