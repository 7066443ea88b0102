//! `clipjury-media`: the one process that loads FFmpeg. Media workers run it once per step of a job (see
//! `clipjury_worker::media_child`) and read one JSON message per line from its stdout. Not meant to be run by hand,
//! but it can be, e.g. `clipjury-media analyse --source clip.mp4 --posters /tmp/p --max-duration 60 --tolerance 2`
//! or `clipjury-media render --source clip.mp4 --max-duration 60 --tolerance 2 --out 1280=720p.mp4 --out 640=360p.mp4`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::{Parser, Subcommand};
use clipjury_media::{self as media, MediaError, Probe, Refusal, RenditionSpec};
use clipjury_worker::media_child::{Analysis, ChildMessage, Poster, Rendition};
use serde_json::json;

#[derive(Parser)]
#[command(
    version,
    about = "Runs FFmpeg work for clipjury's media workers (one JSON message per stdout line)"
)]
struct Args {
    #[command(subcommand)]
    step: Step,
}

#[derive(Subcommand)]
enum Step {
    /// Probe the source, check it against the contest's limits, and write poster images.
    Analyse {
        #[arg(long)]
        source: PathBuf,
        /// Folder the posters are written to.
        #[arg(long)]
        posters: PathBuf,
        /// Longest allowed duration in seconds.
        #[arg(long)]
        max_duration: f64,
        /// Seconds of tolerance over the longest duration.
        #[arg(long)]
        tolerance: f64,
    },
    /// Write MP4 renditions: every `--out` from one decode, or one stream copy with `--remux`.
    Render {
        #[arg(long)]
        source: PathBuf,
        /// A rendition to encode, `LONG_SIDE=PATH` (1280 for 720p, 640 for 360p); repeat for more.
        #[arg(long = "out", value_parser = parse_target)]
        outs: Vec<(u32, PathBuf)>,
        /// Stream-copy the source into this file instead (only for sources that play in browsers as they are).
        #[arg(long, conflicts_with = "outs")]
        remux: Option<PathBuf>,
        /// Longest allowed duration in seconds: demuxing stops past it plus the tolerance.
        #[arg(long)]
        max_duration: f64,
        /// Seconds of tolerance over the longest duration.
        #[arg(long)]
        tolerance: f64,
        /// Decoder and x264 threads for the largest rendition (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
}

fn parse_target(arg: &str) -> Result<(u32, PathBuf), String> {
    let (side, path) = arg
        .split_once('=')
        .ok_or_else(|| format!("{arg}: expected LONG_SIDE=PATH"))?;
    let side = side.parse().map_err(|e| format!("{side}: {e}"))?;
    Ok((side, PathBuf::from(path)))
}

fn main() {
    let outcome = match Args::parse().step {
        Step::Analyse {
            source,
            posters,
            max_duration,
            tolerance,
        } => analyse(&source, &posters, max_duration, tolerance),
        Step::Render {
            source,
            outs,
            remux,
            max_duration,
            tolerance,
            threads,
        } => {
            let options = media::RenderOptions {
                limits: media::Limits {
                    max_duration_secs: max_duration,
                    tolerance_secs: tolerance,
                },
                threads,
            };
            render(&source, &outs, remux.as_deref(), &options)
        }
    };
    say(&outcome.unwrap_or_else(|e| e));
}

/// Prints one message line and flushes it, so the worker sees progress as it happens.
fn say(msg: &ChildMessage) {
    let mut out = std::io::stdout().lock();
    if let Ok(line) = serde_json::to_string(msg) {
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
}

fn refused(r: Refusal) -> ChildMessage {
    ChildMessage::Refused {
        code: r.code.to_owned(),
        message: r.message,
    }
}

/// The file's fault → refused (no retry); ours → failed (retried).
fn from_media(e: &MediaError) -> ChildMessage {
    match Refusal::from_error(e) {
        Some(r) => refused(r),
        None => ChildMessage::Failed {
            message: e.to_string(),
        },
    }
}

fn analyse(
    source: &Path,
    posters: &Path,
    max_duration: f64,
    tolerance: f64,
) -> Result<ChildMessage, ChildMessage> {
    let probe = media::probe(source).map_err(|e| from_media(&e))?;
    let limits = media::Limits {
        max_duration_secs: max_duration,
        tolerance_secs: tolerance,
    };
    media::validate(&probe, &limits).map_err(refused)?;
    let written = media::thumbnails(source, &probe, posters).map_err(|e| from_media(&e))?;
    let posters = written
        .iter()
        .map(|t| Poster {
            name: t
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            long_side: t.long_side,
            width: t.width,
            height: t.height,
        })
        .collect();
    Ok(ChildMessage::Analysed(Analysis {
        probe: probe_doc(&probe),
        fast_path: probe.fast_path_eligible(),
        remux: probe.remux_eligible(),
        posters,
    }))
}

fn render(
    source: &Path,
    outs: &[(u32, PathBuf)],
    remux: Option<&Path>,
    options: &media::RenderOptions,
) -> Result<ChildMessage, ChildMessage> {
    let probe = media::probe(source).map_err(|e| from_media(&e))?;
    let infos = if let Some(output) = remux {
        vec![media::remux(source, &probe, output, &options.limits).map_err(|e| from_media(&e))?]
    } else {
        if outs.is_empty() {
            return Err(ChildMessage::Failed {
                message: "render needs --out or --remux".into(),
            });
        }
        // Cancellation is the worker killing this process; the flag stays false.
        let never = AtomicBool::new(false);
        let mut last = -1.0_f32;
        let parent = std::os::unix::process::parent_id();
        let mut report = |p: f32| {
            // A worker killed outright (SIGKILL, OOM) cannot kill its child; the orphan stops itself instead of
            // transcoding for nobody while another worker redoes the job.
            if std::os::unix::process::parent_id() != parent {
                std::process::exit(3);
            }
            if p - last >= 0.01 {
                last = p;
                say(&ChildMessage::Progress(p));
            }
        };
        let targets: Vec<(RenditionSpec, PathBuf)> = outs
            .iter()
            .map(|(long_side, path)| {
                (
                    RenditionSpec {
                        long_side: *long_side,
                    },
                    path.clone(),
                )
            })
            .collect();
        media::transcode(source, &probe, &targets, options, &mut report, &never)
            .map_err(|e| from_media(&e))?
    };
    let mut renditions = Vec::new();
    for info in infos {
        media::validate_rendered(&probe, info.duration_secs).map_err(refused)?;
        renditions.push(Rendition {
            width: info.width,
            height: info.height,
            duration_secs: info.duration_secs,
            bytes: info.bytes,
        });
    }
    Ok(ChildMessage::Rendered(renditions))
}

/// The probe as stored in the video's media document (shown to admins, used by the API for dimensions).
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
