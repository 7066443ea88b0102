//! FFmpeg runs in a child process, `clipjury-media`, one per step of a job. The server and the worker loop never
//! load FFmpeg, so:
//! - a decoder crash on a hostile upload kills one child, not the web server (the job is retried, then failed);
//! - the long-running processes stay small (FFmpeg and the ~160 libraries it pulls in cost ~30 MB of RSS);
//! - a job is cancelled by killing its child, whatever FFmpeg is doing.
//!
//! The child prints one JSON [`ChildMessage`] per line on stdout; progress lines come first, then one outcome.
//!
//! The child is sandboxed (see [`Sandbox`]): an empty environment (no database URL, storage keys or secrets),
//! rlimits on CPU seconds, address space, file size and core dumps, a wall-clock timeout, and a disk budget for the
//! job's folder. FFmpeg inside it opens only whitelisted demuxers over the `file` protocol (`clipjury-media`).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, BufReader};
use tokio::process::Command;

use crate::queue::JobError;

/// File name of the media child binary, looked for next to the running executable.
pub const MEDIA_BIN_NAME: &str = "clipjury-media";

/// Where the media child binary is: next to the current executable when it is there, else found on `PATH`.
#[must_use]
pub fn default_media_bin() -> PathBuf {
    std::env::current_exe()
        .ok()
        .map(|exe| exe.with_file_name(MEDIA_BIN_NAME))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(MEDIA_BIN_NAME))
}

/// One line the child prints.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildMessage {
    /// Share of the step done, 0..=1.
    Progress(f32),
    /// `analyse` succeeded.
    Analysed(Analysis),
    /// `render` succeeded: one entry per output, in the order asked.
    Rendered(Vec<Rendition>),
    /// The file is at fault: the group sees this code and message; no retry.
    Refused { code: String, message: String },
    /// Our side failed (disk, encoder): worth a retry.
    Failed { message: String },
}

/// What `analyse` found and wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Analysis {
    /// The probe, as stored in the video's media document.
    pub probe: serde_json::Value,
    /// True when the 720p rendition may be a stream copy of the source.
    pub fast_path: bool,
    /// True when a stream copy of the source plays in browsers (a first playable rendition in under a second).
    #[serde(default)]
    pub remux: bool,
    /// Poster images written into the posters folder.
    pub posters: Vec<Poster>,
}

/// One poster image written by `analyse`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Poster {
    /// File name inside the posters folder, e.g. `poster-640.webp`.
    pub name: String,
    pub long_side: u32,
    pub width: u32,
    pub height: u32,
}

/// What `render` wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rendition {
    pub width: u32,
    pub height: u32,
    pub duration_secs: f64,
    pub bytes: u64,
}

/// A media child run: the binary, the job's cancel flag, where progress goes and the sandbox it runs in.
pub(crate) struct Child<'a> {
    pub bin: &'a Path,
    pub cancel: &'a AtomicBool,
    /// Progress of the whole job as f32 bits, and the span of it this step covers.
    pub progress: Option<(&'a AtomicU32, f32, f32)>,
    pub sandbox: &'a Sandbox,
}

/// The bounds of one media step. A step that breaks one is killed and the file refused with
/// [`LIMIT_CODE`]: the budgets are many times what a phone video of the contest's length needs.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// Wall-clock time for one step.
    pub wall: Duration,
    /// CPU seconds for one step, all threads together (`RLIMIT_CPU`).
    pub cpu_secs: u64,
    /// Address space of the child in bytes (`RLIMIT_AS`).
    pub address_space: u64,
    /// Largest file the child may write, in bytes (`RLIMIT_FSIZE`).
    pub file_size: u64,
    /// The job's folder and the most it may hold, in bytes (checked while the step runs).
    pub disk: Option<(PathBuf, u64)>,
}

/// Refusal code of a file whose processing broke the sandbox's bounds.
pub const LIMIT_CODE: &str = "media-limit-exceeded";
const LIMIT_MESSAGE: &str = "This video needs far more processing than a phone video of this length. Please record it again with the phone's camera app, or export it again from your editing app.";

impl Sandbox {
    /// Bounds for a job on a source of `source_bytes` under a contest limit of `limit_secs` (tolerance included),
    /// whose steps use up to `cores` cores.
    #[must_use]
    pub fn for_job(source_bytes: u64, limit_secs: f64, cores: usize, dir: &Path) -> Self {
        let secs = limit_secs.max(1.0);
        let wall = Duration::from_secs_f64(120.0 + 20.0 * secs);
        // Renditions stay far below 2 MB a second; a stream copy is the size of the source.
        let file_size = source_bytes + (64 << 20) + (secs * f64::from(2 << 20)) as u64;
        Self {
            wall,
            cpu_secs: wall.as_secs() * cores.max(1) as u64,
            address_space: 4 << 30,
            file_size,
            disk: Some((dir.to_path_buf(), source_bytes + 3 * file_size)),
        }
    }

    /// The command for `bin ARGS`: empty environment, rlimits set in the child before it runs.
    pub(crate) fn command(&self, bin: &Path, args: &[&std::ffi::OsStr]) -> Command {
        let mut command = Command::new(bin);
        command
            .args(args)
            .env_clear()
            // Few malloc arenas: the address-space limit then bounds real memory, not reserved arenas.
            .env("MALLOC_ARENA_MAX", "2");
        let limits = [
            (libc::RLIMIT_CPU, self.cpu_secs, self.cpu_secs + 5),
            (libc::RLIMIT_AS, self.address_space, self.address_space),
            (libc::RLIMIT_FSIZE, self.file_size, self.file_size),
            (libc::RLIMIT_CORE, 0, 0),
        ];
        // SAFETY: the closure only calls setrlimit, which is async-signal-safe, between fork and exec.
        unsafe {
            command.pre_exec(move || {
                for (resource, soft, hard) in limits {
                    let limit = libc::rlimit {
                        rlim_cur: soft,
                        rlim_max: hard,
                    };
                    if libc::setrlimit(resource, &limit) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        command
    }
}

fn over_limit(what: &str) -> JobError {
    tracing::warn!(limit = what, "media step stopped by its sandbox");
    JobError::Refused {
        code: LIMIT_CODE.into(),
        message: LIMIT_MESSAGE.into(),
    }
}

/// Bytes in the files under `dir` (a job folder: a handful of files, one level of sub-folders).
fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// How often a running child is checked for cancellation.
const CANCEL_CHECK: Duration = Duration::from_millis(200);

impl Child<'_> {
    /// Runs `clipjury-media ARGS` and returns its outcome message.
    pub(crate) async fn run(&self, args: &[&std::ffi::OsStr]) -> Result<ChildMessage, JobError> {
        let mut child = self
            .sandbox
            .command(self.bin, args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                JobError::Retryable(anyhow::anyhow!(
                    "starting the media helper {}: {e} (set worker.media_bin)",
                    self.bin.display()
                ))
            })?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
        let mut stderr = child
            .stderr
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stderr"))?;
        // Drained concurrently so a chatty child never blocks on a full pipe.
        let stderr_task = tokio::spawn(async move {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text).await;
            text
        });
        let mut lines = BufReader::new(stdout).lines();
        let mut outcome = None;
        let mut tick = tokio::time::interval(CANCEL_CHECK);
        let deadline = tokio::time::sleep(self.sandbox.wall);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                line = lines.next_line() => match line.map_err(anyhow::Error::from)? {
                    Some(line) => match serde_json::from_str::<ChildMessage>(&line) {
                        Ok(ChildMessage::Progress(p)) => self.report(p),
                        Ok(msg) => outcome = Some(msg),
                        Err(e) => tracing::warn!(error = %e, line, "unreadable line from the media helper"),
                    },
                    None => break,
                },
                () = &mut deadline => {
                    let _ = child.kill().await;
                    return Err(over_limit("wall-clock time"));
                }
                _ = tick.tick() => {
                    if self.cancel.load(Ordering::Relaxed) {
                        let _ = child.kill().await;
                        return Err(JobError::Cancelled);
                    }
                    if let Some((dir, budget)) = &self.sandbox.disk
                        && dir_bytes(dir) > *budget
                    {
                        let _ = child.kill().await;
                        return Err(over_limit("disk budget"));
                    }
                }
            }
        }
        let status = child.wait().await.map_err(anyhow::Error::from)?;
        let stderr = stderr_task.await.unwrap_or_default();
        {
            use std::os::unix::process::ExitStatusExt as _;
            match status.signal() {
                Some(libc::SIGXCPU) => return Err(over_limit("CPU time")),
                Some(libc::SIGXFSZ) => return Err(over_limit("file size")),
                _ => {}
            }
        }
        match outcome {
            Some(ChildMessage::Refused { code, message }) => {
                Err(JobError::Refused { code, message })
            }
            Some(ChildMessage::Failed { message }) => Err(JobError::Retryable(anyhow::anyhow!(
                "media helper: {message}"
            ))),
            Some(msg) if status.success() => Ok(msg),
            _ => Err(JobError::Retryable(anyhow::anyhow!(
                "media helper ended with {status} and no result; stderr: {}",
                tail(&stderr)
            ))),
        }
    }

    fn report(&self, p: f32) {
        if let Some((bits, from, to)) = self.progress {
            bits.store(
                (from + p.clamp(0.0, 1.0) * (to - from)).to_bits(),
                Ordering::Relaxed,
            );
        }
    }
}

/// The last few hundred characters of a child's stderr, for the log.
fn tail(text: &str) -> &str {
    let start = text.len().saturating_sub(600);
    let start = (start..text.len())
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(text.len());
    text[start..].trim()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_back_as_written() {
        for msg in [
            ChildMessage::Progress(0.5),
            ChildMessage::Refused {
                code: "too-long".into(),
                message: "too long".into(),
            },
            ChildMessage::Rendered(vec![Rendition {
                width: 720,
                height: 1280,
                duration_secs: 59.5,
                bytes: 10,
            }]),
        ] {
            let line = serde_json::to_string(&msg).unwrap_or_default();
            assert!(!line.contains('\n'));
            let back: ChildMessage = serde_json::from_str(&line).unwrap_or(ChildMessage::Failed {
                message: String::new(),
            });
            assert_eq!(serde_json::to_string(&back).unwrap_or_default(), line);
        }
    }

    #[tokio::test]
    async fn the_child_gets_an_empty_environment_and_the_sandbox_limits() {
        // SAFETY: test-only; no other thread of this test reads the environment meanwhile.
        unsafe { std::env::set_var("CLIPJURY_TEST_SECRET", "s3cr3t") };
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox::for_job(1 << 20, 65.0, 2, dir.path());
        let script =
            "env; echo cpu=$(ulimit -t) as=$(ulimit -v) fsize=$(ulimit -f) core=$(ulimit -c)";
        let out = sandbox
            .command(Path::new("/bin/sh"), &["-c".as_ref(), script.as_ref()])
            .output()
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(!text.contains("PATH=") && !text.contains("HOME="), "{text}");
        assert!(text.contains("MALLOC_ARENA_MAX=2"), "{text}");
        let expect = format!(
            "cpu={} as={} fsize={} core=0",
            sandbox.cpu_secs,
            sandbox.address_space / 1024,
            // dash counts file size in 512-byte blocks
            sandbox.file_size / 512
        );
        assert!(text.contains(&expect), "{text} lacks {expect}");
    }

    #[tokio::test]
    async fn a_step_past_its_wall_clock_or_disk_budget_is_killed_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cancel = AtomicBool::new(false);
        let mut sandbox = Sandbox::for_job(0, 1.0, 1, dir.path());
        sandbox.wall = Duration::from_millis(300);
        let child = Child {
            bin: Path::new("/bin/sleep"),
            cancel: &cancel,
            progress: None,
            sandbox: &sandbox,
        };
        let started = std::time::Instant::now();
        let err = child.run(&["30".as_ref()]).await.unwrap_err();
        assert!(
            matches!(&err, JobError::Refused { code, .. } if code == LIMIT_CODE),
            "{err:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));

        let mut disk_sandbox = Sandbox::for_job(0, 1.0, 1, dir.path());
        disk_sandbox.disk = Some((dir.path().to_path_buf(), 1000));
        let child = Child {
            bin: Path::new("/bin/sh"),
            cancel: &cancel,
            progress: None,
            sandbox: &disk_sandbox,
        };
        let fill = format!(
            "head -c 100000 /dev/zero > {}/big; sleep 30",
            dir.path().display()
        );
        let started = std::time::Instant::now();
        let err = Child::run(&child, &["-c".as_ref(), fill.as_ref()])
            .await
            .unwrap_err();
        assert!(
            matches!(&err, JobError::Refused { code, .. } if code == LIMIT_CODE),
            "{err:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn tail_keeps_the_end_on_a_char_boundary() {
        let s = format!("{}ខ្មែរ end", "x".repeat(1000));
        assert!(tail(&s).ends_with("end"));
        assert!(tail(&s).len() <= 600);
    }
}
