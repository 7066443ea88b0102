//! The `process_video` job, in two phases so a video plays as early as possible:
//! - **first** (priority 0): original → probe → validate → posters (stored at once) → the first playable rendition.
//!   An H.264/AAC source is stream-copied (metadata stripped, `moov` first) in well under a second: as `720p.mp4`
//!   when it already fits that rendition, else as `original.mp4`; the video is then playable and the second phase is
//!   enqueued. Any other source (HEVC, HDR, VP8/9) is decoded once into 720p and 360p together: one decode is
//!   cheaper than a quick 360p followed by a second decode for the 720p, so that video is complete at once.
//! - **rest** (priority 1, after every queued first phase): the remaining renditions from one decode → ready.
//!
//! The poster picker stays its own step before any rendition: it seeks to five frames of the first 20 s (under a
//! second), where feeding it from the one decode would keep the poster waiting until the encode got 20 s in.
//!
//! Every FFmpeg step runs in a sandboxed `clipjury-media` child (see [`crate::media_child`]).

use std::ffi::{OsStr, OsString};
use std::path::Path;

use clipjury_service::processing;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::files::{JobDir, download_source, upload_file};
use crate::media_child::{Analysis, Child, ChildMessage, Rendition, Sandbox};
use crate::queue::{JobError, JobSignals, Loop};

/// Long side of the 720p rendition.
const HD_LONG_SIDE: u32 = 1280;
/// Long side of the 360p (data-saver) rendition.
const SD_LONG_SIDE: u32 = 640;
const HD: &str = "720p.mp4";
const SD: &str = "360p.mp4";
const ORIGINAL: &str = "original.mp4";

/// Runs one media child at a time per media slot.
async fn media_step(
    ctx: &Loop,
    signals: &JobSignals,
    sandbox: &Sandbox,
    progress: Option<(f32, f32)>,
    args: &[&OsStr],
) -> Result<ChildMessage, JobError> {
    let _permit = ctx
        .media_slots
        .acquire()
        .await
        .map_err(|e| JobError::Retryable(e.into()))?;
    let bits = signals.progress();
    Child {
        bin: &ctx.settings.media_bin,
        cancel: &signals.cancel,
        progress: progress.map(|(from, to)| (&*bits, from, to)),
        sandbox,
    }
    .run(args)
    .await
}

fn unexpected(msg: &ChildMessage) -> JobError {
    JobError::Retryable(anyhow::anyhow!(
        "the media helper answered {msg:?} to the wrong step"
    ))
}

/// Which phase a job's payload asks for, and for `rest` the renditions still to make.
fn phase(payload: &Value) -> Option<Vec<String>> {
    (payload["phase"] == "rest").then(|| {
        payload["renditions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str().map(str::to_owned))
            .collect()
    })
}

pub(crate) async fn run(
    ctx: &Loop,
    video_id: Uuid,
    payload: &Value,
    signals: &JobSignals,
) -> Result<(), JobError> {
    let services = &ctx.services;
    let Some(input) = processing::processing_input(services, video_id).await? else {
        tracing::info!(%video_id, "video is no longer processing; nothing to do");
        return Ok(());
    };
    let dir = JobDir::create(&ctx.settings.temp_dir)?;
    let source = dir.path().join("source");
    let source_bytes = download_source(services, &input.upload_id, &source).await?;
    let limit = (
        input.max_duration_seconds.to_string(),
        input.duration_tolerance_seconds.to_string(),
    );
    let sandbox = Sandbox::for_job(
        source_bytes,
        f64::from(input.max_duration_seconds + input.duration_tolerance_seconds),
        ctx.settings.cores,
        dir.path(),
    );
    let job = Job {
        ctx,
        signals,
        sandbox: &sandbox,
        dir: dir.path(),
        source: &source,
        limit: (&limit.0, &limit.1),
        video_id,
    };
    match phase(payload) {
        Some(rest) => job.rest(&rest).await,
        None => job.first().await,
    }
}

/// One job's context for its steps.
struct Job<'a> {
    ctx: &'a Loop,
    signals: &'a JobSignals,
    sandbox: &'a Sandbox,
    dir: &'a Path,
    source: &'a Path,
    /// Contest limit and tolerance in seconds, as arguments.
    limit: (&'a str, &'a str),
    video_id: Uuid,
}

impl Job<'_> {
    async fn first(&self) -> Result<(), JobError> {
        let services = &self.ctx.services;
        let posters_dir = self.dir.join("posters");
        let args: [&OsStr; 9] = [
            "analyse".as_ref(),
            "--source".as_ref(),
            self.source.as_os_str(),
            "--posters".as_ref(),
            posters_dir.as_os_str(),
            "--max-duration".as_ref(),
            self.limit.0.as_ref(),
            "--tolerance".as_ref(),
            self.limit.1.as_ref(),
        ];
        let analysis: Analysis =
            match media_step(self.ctx, self.signals, self.sandbox, None, &args).await? {
                ChildMessage::Analysed(a) => a,
                other => return Err(unexpected(&other)),
            };

        // The poster is visible before any rendition is made.
        let mut poster_docs = Vec::new();
        for p in &analysis.posters {
            upload_file(
                services.storage(),
                &posters_dir.join(&p.name),
                &key(self.video_id, &p.name),
            )
            .await?;
            poster_docs.push(
                json!({ "name": p.name, "long_side": p.long_side, "width": p.width, "height": p.height }),
            );
        }
        processing::record_media(
            services,
            self.video_id,
            json!({ "probe": analysis.probe, "posters": poster_docs, "fast_path": analysis.fast_path }),
        )
        .await?;

        if analysis.remux {
            // Playable in under a second; the encodes follow in the second phase.
            let (name, rest) = if analysis.fast_path {
                (HD, vec![SD])
            } else {
                (ORIGINAL, vec![HD, SD])
            };
            let copied = self.render(&[], Some(name), (0.0, 0.05)).await?;
            let stored = self.store(&[name], &copied).await?;
            processing::mark_playable(
                services,
                self.video_id,
                stored,
                Some(json!({ "video_id": self.video_id, "phase": "rest", "renditions": rest })),
            )
            .await?;
            tracing::info!(video_id = %self.video_id, name, "video playable");
            return Ok(());
        }
        let made = self.render(&[HD, SD], None, (0.0, 1.0)).await?;
        let stored = self.store(&[HD, SD], &made).await?;
        processing::mark_ready(services, self.video_id, stored, json!({})).await?;
        tracing::info!(video_id = %self.video_id, fast_path = false, "video ready");
        Ok(())
    }

    async fn rest(&self, names: &[String]) -> Result<(), JobError> {
        let names: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| [HD, SD].contains(n))
            .collect();
        let made = self.render(&names, None, (0.05, 1.0)).await?;
        let stored = self.store(&names, &made).await?;
        processing::mark_ready(&self.ctx.services, self.video_id, stored, json!({})).await?;
        tracing::info!(video_id = %self.video_id, "video ready");
        Ok(())
    }

    /// Encodes `names` from one decode, or stream-copies the source into `remux`; reports progress into `span`.
    async fn render(
        &self,
        names: &[&str],
        remux: Option<&str>,
        span: (f32, f32),
    ) -> Result<Vec<Rendition>, JobError> {
        // A stream copy alone encodes nothing: no threads to choose.
        let threads = match self.ctx.settings.x264_threads {
            Some(pinned) => pinned,
            None if names.is_empty() => 1,
            None => self.ctx.encode_threads().await,
        }
        .to_string();
        let mut args: Vec<OsString> = vec![
            "render".into(),
            "--source".into(),
            self.source.into(),
            "--max-duration".into(),
            self.limit.0.into(),
            "--tolerance".into(),
            self.limit.1.into(),
            "--threads".into(),
            threads.into(),
        ];
        if let Some(name) = remux {
            args.extend(["--remux".into(), self.dir.join(name).into_os_string()]);
        }
        for name in names {
            let side = if *name == HD {
                HD_LONG_SIDE
            } else {
                SD_LONG_SIDE
            };
            let mut target = OsString::from(format!("{side}="));
            target.push(self.dir.join(name));
            args.extend(["--out".into(), target]);
        }
        let args: Vec<&OsStr> = args.iter().map(OsString::as_os_str).collect();
        let started = std::time::Instant::now();
        let renditions =
            match media_step(self.ctx, self.signals, self.sandbox, Some(span), &args).await? {
                ChildMessage::Rendered(r) if r.len() == names.len().max(1) => r,
                other => return Err(unexpected(&other)),
            };
        if remux.is_none() {
            let label = names.join("+").replace(".mp4", "");
            self.ctx
                .services
                .metrics()
                .record_transcode(&label, started.elapsed().as_secs_f64());
        }
        self.signals
            .progress()
            .store(span.1.to_bits(), std::sync::atomic::Ordering::Relaxed);
        Ok(renditions)
    }

    /// Stores the rendered files; returns their entries for the media document.
    async fn store(&self, names: &[&str], made: &[Rendition]) -> Result<Vec<Value>, JobError> {
        let mut docs = Vec::new();
        for (name, info) in names.iter().zip(made) {
            upload_file(
                self.ctx.services.storage(),
                &self.dir.join(name),
                &key(self.video_id, name),
            )
            .await?;
            docs.push(json!({
                "name": name, "width": info.width, "height": info.height, "duration_secs": info.duration_secs,
                "bytes": info.bytes,
            }));
        }
        Ok(docs)
    }
}

/// Storage key of a processed file of a video.
pub(crate) fn key(video_id: Uuid, name: &str) -> String {
    format!("videos/{video_id}/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_without_a_phase_is_the_first_phase() {
        assert_eq!(phase(&json!({ "video_id": "x" })), None);
        assert_eq!(
            phase(&json!({ "phase": "rest", "renditions": ["720p.mp4", "360p.mp4"] })),
            Some(vec!["720p.mp4".to_owned(), "360p.mp4".to_owned()])
        );
    }
}
