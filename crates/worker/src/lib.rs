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
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use clipjury_service::Services;
use tokio::sync::{Semaphore, watch};

pub use files::sweep_stale_job_dirs;
pub use queue::JobError;

/// How workers behave.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Jobs processed at once by this process, besides the express lane (see [`concurrency_for_cores`]).
    pub concurrency: usize,
    /// Threads of the largest rendition's decoder and x264 encoder in one job; `None`: chosen when each encode
    /// starts from the jobs running and coming then (see [`threads_for_jobs`], [`jobs_expected`]).
    pub x264_threads: Option<usize>,
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

/// Jobs at once for a machine with `cores` cores: two from 2 cores, then one per 4 cores. 1 core: 1; 2: 2; 8: 2;
/// 32: 8. On 2 cores a second job keeps the cores busy while the first waits on its single-threaded parts (demux,
/// audio, muxing, storing): six H.264 clips of a workshop burst finished in 0.95 × six CLI runs with two jobs, 1.12
/// with one (docs/benchmarks.md). Past ~4 cores a 720p x264 encode gains less from each further thread than a
/// second job does.
#[must_use]
pub fn concurrency_for_cores(cores: usize) -> usize {
    if cores <= 1 { 1 } else { (cores / 4).max(2) }
}

/// x264 threads for an encode that starts while this process expects `jobs` jobs (its own included, see
/// [`jobs_expected`]): 1.5 per core (x264's own rule; frame threads keep the cores busy while one waits) shared by
/// the jobs, at most 6 (a 720p encode gains little past that). The job's smaller encoder gets half. A lone upload
/// on 2 cores encodes with 3 threads; in a burst each of the two jobs encodes with 1, which finished six H.264 clips
/// in 0.90 × six CLI runs (six HEVC clips 0.81), against 1.08–1.13 with a 3-thread encode among them
/// (docs/benchmarks.md): on a busy machine x264's frame threads only add work.
#[must_use]
pub fn threads_for_jobs(cores: usize, jobs: usize) -> usize {
    (cores.max(1) * 3 / 2 / jobs.max(1)).clamp(1, 6)
}

/// Jobs an encode starting now should share the cores with: those this process runs (`running`, its own included),
/// or, when more is on its way, as many as its `concurrency` lanes will soon run: jobs `due` in the queue and
/// uploads still `receiving` bytes each become one. Counting only the running jobs, the first encode of a burst
/// started while the other groups were still uploading, kept 3 threads for its whole length and made the burst
/// 1.13 × six CLI runs (docs/benchmarks.md).
#[must_use]
pub fn jobs_expected(running: usize, due: u64, receiving: u64, concurrency: usize) -> usize {
    let coming = usize::try_from(due.saturating_add(receiving)).unwrap_or(usize::MAX);
    running.max(running.saturating_add(coming).min(concurrency.max(1)))
}

impl Default for WorkerSettings {
    fn default() -> Self {
        let cores = available_cores();
        Self {
            concurrency: concurrency_for_cores(cores),
            x264_threads: None,
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
    let jobs_running = Arc::new(AtomicUsize::new(0));
    let worker_id = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    tracing::info!(
        worker_id,
        concurrency = settings.concurrency,
        x264_threads = ?settings.x264_threads,
        "media worker started"
    );
    let mut loops = tokio::task::JoinSet::new();
    for n in 0..=lanes {
        let ctx = queue::Loop {
            services: services.clone(),
            settings: settings.clone(),
            worker_id: format!("{worker_id}-{n}"),
            media_slots: media_slots.clone(),
            jobs_running: jobs_running.clone(),
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
        jobs_running: Arc::new(AtomicUsize::new(0)),
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
        jobs_running: Arc::new(AtomicUsize::new(0)),
        max_priority: 0,
    };
    let (_tx, rx) = watch::channel(false);
    ctx.drain(rx).await
}

#[cfg(test)]
mod tests {
    use super::{concurrency_for_cores, jobs_expected, threads_for_jobs};

    #[test]
    fn small_machines_run_two_jobs_and_big_ones_one_per_four_cores() {
        assert_eq!(concurrency_for_cores(0), 1);
        assert_eq!(concurrency_for_cores(1), 1);
        assert_eq!(concurrency_for_cores(2), 2);
        assert_eq!(concurrency_for_cores(4), 2);
        assert_eq!(concurrency_for_cores(8), 2);
        assert_eq!(concurrency_for_cores(32), 8);
    }

    #[test]
    fn a_lone_job_uses_the_cores_and_jobs_side_by_side_share_them() {
        assert_eq!(threads_for_jobs(1, 1), 1);
        assert_eq!(threads_for_jobs(2, 1), 3);
        assert_eq!(threads_for_jobs(2, 2), 1);
        assert_eq!(threads_for_jobs(2, 3), 1);
        assert_eq!(threads_for_jobs(8, 1), 6);
        assert_eq!(threads_for_jobs(8, 2), 6);
        assert_eq!(threads_for_jobs(8, 3), 4);
        assert_eq!(threads_for_jobs(32, 8), 6);
        assert_eq!(threads_for_jobs(32, 0), 6);
    }

    #[test]
    fn jobs_expected_foresees_a_burst_up_to_the_lanes() {
        // A lone upload keeps the machine to itself.
        assert_eq!(jobs_expected(1, 0, 0, 2), 1);
        // Five groups still uploading: the first encode already shares the cores.
        assert_eq!(jobs_expected(1, 0, 5, 2), 2);
        assert_eq!(jobs_expected(1, 1, 0, 2), 2);
        // Never fewer than the jobs running (the express lane comes on top of the lanes).
        assert_eq!(jobs_expected(3, 0, 0, 2), 3);
        assert_eq!(jobs_expected(1, 40, 10, 8), 8);
        assert_eq!(jobs_expected(0, 0, 0, 0), 0);
        assert_eq!(jobs_expected(1, u64::MAX, u64::MAX, 2), 2);
    }
}
