//! FFmpeg runs in a child process, `clipjury-media`, one per step of a job. The server and the worker loop never
//! load FFmpeg, so:
//! - a decoder crash on a hostile upload kills one child, not the web server (the job is retried, then failed);
//! - the long-running processes stay small (FFmpeg and the ~160 libraries it pulls in cost ~30 MB of RSS);
//! - a job is cancelled by killing its child, whatever FFmpeg is doing.
//!
//! The child prints one JSON [`ChildMessage`] per line on stdout; progress lines come first, then one outcome.

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
    /// `render` succeeded.
    Rendered(Rendition),
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

/// A media child run: the binary, the job's cancel flag and where progress goes.
pub(crate) struct Child<'a> {
    pub bin: &'a Path,
    pub cancel: &'a AtomicBool,
    /// Progress of the whole job as f32 bits, and the span of it this step covers.
    pub progress: Option<(&'a AtomicU32, f32, f32)>,
}

/// How often a running child is checked for cancellation.
const CANCEL_CHECK: Duration = Duration::from_millis(200);

impl Child<'_> {
    /// Runs `clipjury-media ARGS` and returns its outcome message.
    pub(crate) async fn run(&self, args: &[&std::ffi::OsStr]) -> Result<ChildMessage, JobError> {
        let mut child = Command::new(self.bin)
            .args(args)
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
                _ = tick.tick() => {
                    if self.cancel.load(Ordering::Relaxed) {
                        let _ = child.kill().await;
                        return Err(JobError::Cancelled);
                    }
                }
            }
        }
        let status = child.wait().await.map_err(anyhow::Error::from)?;
        let stderr = stderr_task.await.unwrap_or_default();
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
            ChildMessage::Rendered(Rendition {
                width: 720,
                height: 1280,
                duration_secs: 59.5,
                bytes: 10,
            }),
        ] {
            let line = serde_json::to_string(&msg).unwrap_or_default();
            assert!(!line.contains('\n'));
            let back: ChildMessage = serde_json::from_str(&line).unwrap_or(ChildMessage::Failed {
                message: String::new(),
            });
            assert_eq!(serde_json::to_string(&back).unwrap_or_default(), line);
        }
    }

    #[test]
    fn tail_keeps_the_end_on_a_char_boundary() {
        let s = format!("{}ខ្មែរ end", "x".repeat(1000));
        assert!(tail(&s).ends_with("end"));
        assert!(tail(&s).len() <= 600);
    }
}
