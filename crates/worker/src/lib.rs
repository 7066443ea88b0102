//! Media workers. Each loop claims one due `process_video` job at a time from the database queue (a lease kept
//! alive by heartbeats), runs the FFmpeg work in `clipjury-media` child processes behind a semaphore (see
//! [`media_child`]), and records the outcome.
//! At-least-once: a worker that dies leaves its lease to expire and another worker reclaims the job.

mod files;
pub mod media_child;
mod process_video;
mod queue;

use std::sync::Arc;
use std::time::Duration;

use clipjury_service::Services;
use tokio::sync::{Semaphore, watch};

pub use queue::JobError;

/// How workers behave.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Jobs processed at once by this process (each runs FFmpeg on all cores; 1 suits 2 cores).
    pub concurrency: usize,
    /// How long a claimed job stays ours without a heartbeat.
    pub lease: Duration,
    /// How often a running job's lease is renewed.
    pub heartbeat: Duration,
    /// How long an idle worker waits before looking for work again.
    pub poll: Duration,
    /// First retry delay; doubles with each attempt up to `max_backoff`.
    pub backoff: Duration,
    /// Longest retry delay.
    pub max_backoff: Duration,
    /// Folder for the temporary files of a job (deleted when the job ends).
    pub temp_dir: std::path::PathBuf,
    /// The `clipjury-media` binary that runs FFmpeg for a job.
    pub media_bin: std::path::PathBuf,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            concurrency: 1,
            lease: Duration::from_secs(60),
            heartbeat: Duration::from_secs(10),
            poll: Duration::from_secs(1),
            backoff: Duration::from_secs(10),
            max_backoff: Duration::from_secs(600),
            temp_dir: std::env::temp_dir(),
            media_bin: media_child::default_media_bin(),
        }
    }
}

/// Runs `settings.concurrency` worker loops until `shutdown` turns true. A job running at shutdown is cancelled and
/// released back to the queue (not counted as an attempt), so it is never left `running`.
pub async fn run(services: Services, settings: WorkerSettings, shutdown: watch::Receiver<bool>) {
    let media_slots = Arc::new(Semaphore::new(settings.concurrency.max(1)));
    let worker_id = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    tracing::info!(
        worker_id,
        concurrency = settings.concurrency,
        "media worker started"
    );
    let mut loops = tokio::task::JoinSet::new();
    for n in 0..settings.concurrency.max(1) {
        let ctx = queue::Loop {
            services: services.clone(),
            settings: settings.clone(),
            worker_id: format!("{worker_id}-{n}"),
            media_slots: media_slots.clone(),
        };
        loops.spawn(ctx.run(shutdown.clone()));
    }
    while loops.join_next().await.is_some() {}
    tracing::info!(worker_id, "media worker stopped");
}

/// Processes due jobs in this task until none is left (tests and one-off runs). Returns how many were handled.
pub async fn run_until_idle(services: Services, settings: WorkerSettings) -> usize {
    let ctx = queue::Loop {
        services,
        settings,
        worker_id: format!(
            "{}-once-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ),
        media_slots: Arc::new(Semaphore::new(1)),
    };
    let (_tx, rx) = watch::channel(false);
    ctx.drain(rx).await
}
