//! Media workers. Each loop claims one due `process_video` job at a time from the database queue (a lease kept
//! alive by heartbeats), runs the FFmpeg work in sandboxed `clipjury-media` child processes (see [`media_child`]),
//! and records the outcome. A job's first phase makes the video playable, its second the remaining renditions
//! (see `process_video`); first phases are claimed before second ones, and one extra loop, the express lane,
//! claims only first phases, so a video uploaded during a long encode plays within seconds.
//! At-least-once: a worker that dies leaves its lease to expire and another worker reclaims the job.

mod files;
pub mod media_child;
mod process_video;
mod queue;

use std::sync::Arc;
use std::time::Duration;

use clipjury_service::Services;
use tokio::sync::{Semaphore, watch};

pub use files::sweep_stale_job_dirs;
pub use queue::JobError;

/// How workers behave.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Jobs processed at once by this process, besides the express lane (see [`plan_for_cores`]).
    pub concurrency: usize,
    /// Threads of the largest rendition's decoder and x264 encoder in one job (see [`plan_for_cores`]).
    pub x264_threads: usize,
    /// Cores this worker may use (bounds a media step's CPU seconds).
    pub cores: usize,
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

/// Cores available to this process.
#[must_use]
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Jobs at once and x264 threads per job for a machine with `cores` cores: one job per 4 cores (at least one),
/// each job's largest encoder with 1.5 threads per core of its share (x264's own rule; frame threads keep the
/// cores busy while one waits), the smaller encoder with half of that. 1 core: (1, 1); 2: (1, 3); 8: (2, 6);
/// 32: (8, 6). Past ~4 cores a 720p x264 encode gains less from each further thread than a second job does.
#[must_use]
pub fn plan_for_cores(cores: usize) -> (usize, usize) {
    let cores = cores.max(1);
    let concurrency = (cores / 4).max(1);
    let per_job = (cores / concurrency).max(1);
    (concurrency, (per_job * 3 / 2).max(1))
}

impl Default for WorkerSettings {
    fn default() -> Self {
        let cores = available_cores();
        let (concurrency, x264_threads) = plan_for_cores(cores);
        Self {
            concurrency,
            x264_threads,
            cores,
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

/// Runs `settings.concurrency` worker loops plus the express lane until `shutdown` turns true, after sweeping the
/// temporary folders of killed workers. A job running at shutdown is cancelled and released back to the queue (not
/// counted as an attempt), so it is never left `running`.
pub async fn run(services: Services, settings: WorkerSettings, shutdown: watch::Receiver<bool>) {
    sweep_stale_job_dirs(&settings.temp_dir);
    let lanes = settings.concurrency.max(1);
    let media_slots = Arc::new(Semaphore::new(lanes + 1));
    let worker_id = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    tracing::info!(
        worker_id,
        concurrency = settings.concurrency,
        x264_threads = settings.x264_threads,
        "media worker started"
    );
    let mut loops = tokio::task::JoinSet::new();
    for n in 0..=lanes {
        let ctx = queue::Loop {
            services: services.clone(),
            settings: settings.clone(),
            worker_id: format!("{worker_id}-{n}"),
            media_slots: media_slots.clone(),
            // The last loop is the express lane.
            max_priority: if n == lanes { 0 } else { i32::MAX },
        };
        loops.spawn(ctx.run(shutdown.clone()));
    }
    while loops.join_next().await.is_some() {}
    tracing::info!(worker_id, "media worker stopped");
}

/// Processes due jobs in this task until none is left (tests and one-off runs), first phases first, after
/// sweeping the temporary folders of killed workers. Returns how many were handled.
pub async fn run_until_idle(services: Services, settings: WorkerSettings) -> usize {
    sweep_stale_job_dirs(&settings.temp_dir);
    let ctx = queue::Loop {
        services,
        settings,
        worker_id: format!(
            "{}-once-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ),
        media_slots: Arc::new(Semaphore::new(1)),
        max_priority: i32::MAX,
    };
    let (_tx, rx) = watch::channel(false);
    ctx.drain(rx).await
}

/// Like [`run_until_idle`], but only first phases (priority 0), as the express lane runs them: each video becomes
/// playable and its second phase stays queued.
pub async fn run_first_phases_until_idle(services: Services, settings: WorkerSettings) -> usize {
    let ctx = queue::Loop {
        services,
        settings,
        worker_id: format!(
            "{}-express-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ),
        media_slots: Arc::new(Semaphore::new(1)),
        max_priority: 0,
    };
    let (_tx, rx) = watch::channel(false);
    ctx.drain(rx).await
}

#[cfg(test)]
mod tests {
    use super::plan_for_cores;

    #[test]
    fn small_machines_run_one_job_on_every_core_and_big_ones_several() {
        assert_eq!(plan_for_cores(0), (1, 1));
        assert_eq!(plan_for_cores(1), (1, 1));
        assert_eq!(plan_for_cores(2), (1, 3));
        assert_eq!(plan_for_cores(4), (1, 6));
        assert_eq!(plan_for_cores(8), (2, 6));
        assert_eq!(plan_for_cores(32), (8, 6));
    }
}
