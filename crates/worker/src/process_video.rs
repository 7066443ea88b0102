//! The `process_video` job: original → probe → validate → posters (stored at once) → 720p (remux when the source
//! already fits) and 360p renditions → ready.

use std::ffi::OsStr;
use std::path::Path;

use clipjury_service::processing;
use serde_json::json;
use uuid::Uuid;

use crate::files::{download_source, upload_file};
use crate::media_child::{Analysis, Child, ChildMessage, Rendition};
use crate::queue::{JobError, JobSignals, Loop};

/// Runs one media child at a time per media slot.
async fn media_step(
    ctx: &Loop,
    signals: &JobSignals,
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
    }
    .run(args)
    .await
}

fn unexpected(msg: &ChildMessage) -> JobError {
    JobError::Retryable(anyhow::anyhow!(
        "the media helper answered {msg:?} to the wrong step"
    ))
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

    let posters_dir = dir.path().join("posters");
    let (max, tolerance) = (
        input.max_duration_seconds.to_string(),
        input.duration_tolerance_seconds.to_string(),
    );
    let args: [&OsStr; 9] = [
        "analyse".as_ref(),
        "--source".as_ref(),
        source.as_os_str(),
        "--posters".as_ref(),
        posters_dir.as_os_str(),
        "--max-duration".as_ref(),
        max.as_ref(),
        "--tolerance".as_ref(),
        tolerance.as_ref(),
    ];
    let analysis: Analysis = match media_step(ctx, signals, None, &args).await? {
        ChildMessage::Analysed(a) => a,
        other => return Err(unexpected(&other)),
    };

    // The poster is visible before the transcode starts.
    let mut poster_docs = Vec::new();
    for p in &analysis.posters {
        upload_file(
            services.storage(),
            &posters_dir.join(&p.name),
            &key(video_id, &p.name),
        )
        .await?;
        poster_docs.push(
            json!({ "name": p.name, "long_side": p.long_side, "width": p.width, "height": p.height }),
        );
    }
    processing::record_media(
        services,
        video_id,
        json!({ "probe": analysis.probe, "posters": poster_docs }),
    )
    .await?;

    let fast_path = analysis.fast_path;
    let hd = render(
        ctx,
        signals,
        &source,
        HD_LONG_SIDE,
        &dir.path().join("720p.mp4"),
        fast_path,
        (0.0, 0.6),
    )
    .await?;
    let sd = render(
        ctx,
        signals,
        &source,
        SD_LONG_SIDE,
        &dir.path().join("360p.mp4"),
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

/// Long side of the 720p rendition.
const HD_LONG_SIDE: u32 = 1280;
/// Long side of the 360p (data-saver) rendition.
const SD_LONG_SIDE: u32 = 640;

/// Writes one rendition (a stream copy when `remux`), reporting progress into the job's `span`.
async fn render(
    ctx: &Loop,
    signals: &JobSignals,
    source: &Path,
    long_side: u32,
    output: &Path,
    remux: bool,
    span: (f32, f32),
) -> Result<Rendition, JobError> {
    let long_side_arg = long_side.to_string();
    let mut args: Vec<&OsStr> = vec![
        "render".as_ref(),
        "--source".as_ref(),
        source.as_os_str(),
        "--output".as_ref(),
        output.as_os_str(),
        "--long-side".as_ref(),
        long_side_arg.as_ref(),
    ];
    if remux {
        args.push("--remux".as_ref());
    }
    let started = std::time::Instant::now();
    let rendition = match media_step(ctx, signals, Some(span), &args).await? {
        ChildMessage::Rendered(r) => r,
        other => return Err(unexpected(&other)),
    };
    if !remux {
        let name = if long_side == HD_LONG_SIDE {
            "720p"
        } else {
            "360p"
        };
        ctx.services
            .metrics()
            .record_transcode(name, started.elapsed().as_secs_f64());
    }
    signals
        .progress()
        .store(span.1.to_bits(), std::sync::atomic::Ordering::Relaxed);
    Ok(rendition)
}
