//! The `process_video` job: original → probe → validate → posters (stored at once) → 720p (remux when the source
//! already fits) and 360p renditions → ready.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use clipjury_media::{
    self as media, MediaError, Probe, Refusal, RenditionInfo, RenditionSpec, ThumbnailFormat,
};
use clipjury_service::processing;
use serde_json::json;
use uuid::Uuid;

use crate::files::{download_source, upload_file};
use crate::queue::{JobError, JobSignals, Loop};

impl From<Refusal> for JobError {
    fn from(r: Refusal) -> Self {
        Self::Refused {
            code: r.code.to_owned(),
            message: r.message,
        }
    }
}

fn media_error(e: MediaError) -> JobError {
    if matches!(e, MediaError::Cancelled) {
        return JobError::Cancelled;
    }
    match Refusal::from_error(&e) {
        Some(r) => r.into(),
        None => JobError::Retryable(anyhow::Error::new(e)),
    }
}

/// Runs blocking media work on the blocking pool, one job's worth at a time per media slot.
async fn blocking<T: Send + 'static>(
    ctx: &Loop,
    f: impl FnOnce() -> Result<T, JobError> + Send + 'static,
) -> Result<T, JobError> {
    let _permit = ctx
        .media_slots
        .acquire()
        .await
        .map_err(|e| JobError::Retryable(e.into()))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| JobError::Retryable(e.into()))?
}

pub(crate) async fn run(ctx: &Loop, video_id: Uuid, signals: &JobSignals) -> Result<(), JobError> {
    let services = &ctx.services;
    let Some(input) = processing::processing_input(services, video_id).await? else {
        tracing::info!(%video_id, "video is no longer processing; nothing to do");
        return Ok(());
    };
    let dir = tempfile::Builder::new()
        .prefix("clipjury-job-")
        .tempdir_in(&ctx.settings.temp_dir)
        .map_err(anyhow::Error::from)?;
    let source = dir.path().join("source");
    download_source(services, &input.upload_id, &source).await?;

    let limits = media::Limits {
        max_duration_secs: f64::from(input.max_duration_seconds),
        tolerance_secs: f64::from(input.duration_tolerance_seconds),
    };
    let (src, out) = (source.clone(), dir.path().join("posters"));
    let (probe, posters) = blocking(ctx, move || {
        let probe = media::probe(&src).map_err(media_error)?;
        media::validate(&probe, &limits)?;
        std::fs::create_dir_all(&out).map_err(anyhow::Error::from)?;
        let posters = media::thumbnails(&src, &probe, &out).map_err(media_error)?;
        Ok((probe, posters))
    })
    .await?;

    // The poster is visible before the transcode starts.
    let mut poster_docs = Vec::new();
    for t in &posters {
        let ext = if t.format == ThumbnailFormat::Jpeg {
            "jpg"
        } else {
            "webp"
        };
        let name = format!("poster-{}.{ext}", t.long_side);
        upload_file(services.storage(), &t.path, &key(video_id, &name)).await?;
        poster_docs.push(
            json!({ "name": name, "long_side": t.long_side, "width": t.width, "height": t.height }),
        );
    }
    processing::record_media(
        services,
        video_id,
        json!({ "probe": probe_doc(&probe), "posters": poster_docs }),
    )
    .await?;

    let fast_path = probe.fast_path_eligible();
    let hd = render(
        ctx,
        signals,
        &source,
        &probe,
        RenditionSpec::HD,
        dir.path().join("720p.mp4"),
        fast_path,
        (0.0, 0.6),
    )
    .await?;
    let sd = render(
        ctx,
        signals,
        &source,
        &probe,
        RenditionSpec::SD,
        dir.path().join("360p.mp4"),
        false,
        (0.6, 1.0),
    )
    .await?;
    let mut renditions = Vec::new();
    for (name, info, path) in [
        ("720p.mp4", &hd, dir.path().join("720p.mp4")),
        ("360p.mp4", &sd, dir.path().join("360p.mp4")),
    ] {
        upload_file(services.storage(), &path, &key(video_id, name)).await?;
        renditions.push(json!({
            "name": name, "width": info.width, "height": info.height, "duration_secs": info.duration_secs, "bytes": info.bytes,
        }));
    }
    processing::mark_ready(
        services,
        video_id,
        json!({ "renditions": renditions, "fast_path": fast_path }),
    )
    .await?;
    tracing::info!(%video_id, fast_path, "video ready");
    Ok(())
}

/// Storage key of a processed file of a video.
pub(crate) fn key(video_id: Uuid, name: &str) -> String {
    format!("videos/{video_id}/{name}")
}

#[allow(clippy::too_many_arguments)]
async fn render(
    ctx: &Loop,
    signals: &JobSignals,
    source: &Path,
    probe: &Probe,
    spec: RenditionSpec,
    output: PathBuf,
    remux: bool,
    (from, to): (f32, f32),
) -> Result<RenditionInfo, JobError> {
    let (src, probe) = (source.to_path_buf(), probe.clone());
    let cancel: Arc<AtomicBool> = signals.cancel.clone();
    let progress: Arc<AtomicU32> = signals.progress();
    let metrics = ctx.services.metrics().clone();
    let rendition = if spec == RenditionSpec::HD {
        "720p"
    } else {
        "360p"
    };
    blocking(ctx, move || {
        if cancel.load(Ordering::Relaxed) {
            return Err(JobError::Cancelled);
        }
        let info = if remux {
            media::remux(&src, &probe, &output).map_err(media_error)?
        } else {
            let started = std::time::Instant::now();
            let mut report = |p: f32| {
                progress.store(
                    (from + p.clamp(0.0, 1.0) * (to - from)).to_bits(),
                    Ordering::Relaxed,
                )
            };
            let info = media::transcode(&src, &probe, &spec, &output, &mut report, &cancel)
                .map_err(media_error)?;
            metrics.record_transcode(rendition, started.elapsed().as_secs_f64());
            info
        };
        progress.store(to.to_bits(), Ordering::Relaxed);
        Ok(info)
    })
    .await
}

fn probe_doc(p: &Probe) -> serde_json::Value {
    json!({
        "format": p.format,
        "duration_secs": p.duration_secs,
        "duration_from_scan": p.duration_from_scan,
        "video": p.video.as_ref().map(|v| json!({
            "codec": v.codec, "width": v.width, "height": v.height, "display_size": v.display_size(),
            "frame_rate": v.frame_rate, "pixel_format": v.pixel_format, "rotation": v.rotation,
            "transfer": format!("{:?}", v.transfer).to_lowercase(),
        })),
        "audio": p.audio.as_ref().map(|a| json!({ "codec": a.codec, "channels": a.channels, "sample_rate": a.sample_rate })),
    })
}
