//! The claim → heartbeat → finish loop around one job at a time.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

use chrono::Utc;
use clipjury_db::repo::jobs::{self, JobOutcome, JobRow};
use clipjury_db::repo::uploads;
use clipjury_service::uploads::PROCESS_VIDEO_JOB;
use clipjury_service::{Services, processing};
use rand::Rng as _;
use tokio::sync::{Semaphore, watch};

use crate::WorkerSettings;

/// Why a job did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The input is at fault (a refused or unreadable file): fail now with a code the group sees; no retry.
    #[error("{code}: {message}")]
    Refused { code: String, message: String },
    /// Shutdown or a lost lease stopped the job.
    #[error("cancelled")]
    Cancelled,
    /// Our fault or a passing one: retry with backoff.
    #[error(transparent)]
    Retryable(#[from] anyhow::Error),
}

/// Shown to a group when its video failed for reasons that are not the file's.
pub(crate) const GAVE_UP_MESSAGE: &str = "We could not process this video after several tries. Please upload it again, or try another file.";

/// One worker loop and what it shares with the others.
pub(crate) struct Loop {
    pub services: Services,
    pub settings: WorkerSettings,
    pub worker_id: String,
    pub media_slots: Arc<Semaphore>,
    /// Jobs this process's loops are running now (x264 threads follow it, see [`crate::threads_for_jobs`]).
    pub jobs_running: Arc<AtomicUsize>,
    /// Highest job priority number this loop claims: the express lane takes only first phases (0).
    pub max_priority: i32,
}

/// Shared state of a running job: cancellation and progress, read by the heartbeat task.
pub(crate) struct JobSignals {
    pub cancel: Arc<AtomicBool>,
    progress_bits: Arc<AtomicU32>,
}

impl JobSignals {
    /// A progress reporter for the blocking media code.
    pub(crate) fn progress(&self) -> Arc<AtomicU32> {
        self.progress_bits.clone()
    }
}

/// One job counted in [`Loop::jobs_running`] while it lives.
struct RunningJob<'a>(&'a AtomicUsize);

impl<'a> RunningJob<'a> {
    fn start(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(count)
    }
}

impl Drop for RunningJob<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Uploads with a byte stored this recently count as still arriving (a phone's dropped connection retries within
/// seconds).
const RECEIVING_WINDOW: chrono::TimeDelta = chrono::TimeDelta::seconds(30);

impl Loop {
    /// x264 threads for an encode starting now: all the cores for a lone upload, one share each when other jobs
    /// run or are on their way (queued, or uploads still arriving), see [`crate::jobs_expected`].
    pub(crate) async fn encode_threads(&self) -> usize {
        let running = self.jobs_running.load(Ordering::SeqCst);
        let db = self.services.db();
        let now = Utc::now();
        let coming = tokio::try_join!(
            jobs::due_count(db, PROCESS_VIDEO_JOB),
            uploads::receiving_count(db, now, now - RECEIVING_WINDOW),
        );
        let jobs = match coming {
            Ok((due, receiving)) => {
                crate::jobs_expected(running, due, receiving, self.settings.concurrency)
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not count the work coming; threads follow the jobs running");
                running
            }
        };
        let threads = crate::threads_for_jobs(self.settings.cores, jobs);
        tracing::info!(running, jobs, threads, "encode threads chosen");
        threads
    }

    pub(crate) async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if *shutdown.borrow() {
                return;
            }
            let lease_until = Utc::now()
                + chrono::Duration::from_std(self.settings.lease)
                    .unwrap_or(chrono::Duration::seconds(60));
            match jobs::claim_up_to(
                self.services.db(),
                PROCESS_VIDEO_JOB,
                &self.worker_id,
                lease_until,
                self.max_priority,
            )
            .await
            {
                Ok(Some(job)) => self.handle(job, shutdown.clone()).await,
                Ok(None) => {
                    tokio::select! {
                        () = tokio::time::sleep(self.settings.poll) => {}
                        _ = shutdown.changed() => {}
                    }
                }
                Err(e) => {
                    tracing::error!(error = ?e, "claiming a job failed");
                    tokio::time::sleep(self.settings.poll).await;
                }
            }
        }
    }

    /// Handles due jobs until none is left; returns how many.
    pub(crate) async fn drain(&self, shutdown: watch::Receiver<bool>) -> usize {
        let mut n = 0;
        loop {
            let lease_until = Utc::now()
                + chrono::Duration::from_std(self.settings.lease)
                    .unwrap_or(chrono::Duration::seconds(60));
            match jobs::claim_up_to(
                self.services.db(),
                PROCESS_VIDEO_JOB,
                &self.worker_id,
                lease_until,
                self.max_priority,
            )
            .await
            {
                Ok(Some(job)) => {
                    self.handle(job, shutdown.clone()).await;
                    n += 1;
                }
                Ok(None) => return n,
                Err(e) => {
                    tracing::error!(error = ?e, "claiming a job failed");
                    return n;
                }
            }
        }
    }

    #[tracing::instrument(skip_all, fields(job_id = %job.id, attempt = job.attempts))]
    async fn handle(&self, job: JobRow, shutdown: watch::Receiver<bool>) {
        let video_id = job.payload["video_id"]
            .as_str()
            .and_then(|s| s.parse::<uuid::Uuid>().ok());
        let Some(video_id) = video_id else {
            let _ = jobs::finish(
                self.services.db(),
                job.id,
                &self.worker_id,
                JobOutcome::Failed("payload has no video_id".into()),
            )
            .await;
            return;
        };
        if job.attempts > job.max_attempts {
            // Reclaimed after its workers died too often: stop trying.
            self.give_up(&job, video_id, "worker died too often while processing")
                .await;
            return;
        }
        let signals = JobSignals {
            cancel: Arc::new(AtomicBool::new(false)),
            progress_bits: Arc::new(AtomicU32::new(f32::NAN.to_bits())),
        };
        let beat = self.spawn_heartbeat(&job, video_id, &signals, shutdown.clone());
        let running = RunningJob::start(&self.jobs_running);
        let result = crate::process_video::run(self, video_id, &job.payload, &signals).await;
        drop(running);
        beat.abort();
        let outcome = match result {
            Ok(()) => JobOutcome::Done,
            Err(JobError::Cancelled) => {
                tracing::info!("job cancelled; releasing it");
                JobOutcome::Release
            }
            Err(JobError::Refused { code, message }) => {
                if let Err(e) =
                    processing::mark_failed(&self.services, video_id, &code, &message).await
                {
                    tracing::error!(error = ?e, "recording a refusal failed");
                }
                JobOutcome::Failed(code)
            }
            Err(JobError::Retryable(e)) if job.attempts >= job.max_attempts => {
                tracing::error!(error = ?e, "job failed for the last time");
                self.give_up(&job, video_id, &format!("{e:#}")).await;
                return;
            }
            Err(JobError::Retryable(e)) => {
                let delay = self.backoff(job.attempts);
                tracing::warn!(error = ?e, retry_in_secs = delay.num_seconds(), "job failed; will retry");
                JobOutcome::Retry {
                    at: Utc::now() + delay,
                    error: format!("{e:#}"),
                }
            }
        };
        match jobs::finish(self.services.db(), job.id, &self.worker_id, outcome).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                "lease was lost before the job ended; the other worker's outcome stands"
            ),
            Err(e) => {
                tracing::error!(error = ?e, "recording the job outcome failed; the lease will expire")
            }
        }
    }

    async fn give_up(&self, job: &JobRow, video_id: uuid::Uuid, error: &str) {
        if let Err(e) = processing::mark_failed(
            &self.services,
            video_id,
            "processing-failed",
            GAVE_UP_MESSAGE,
        )
        .await
        {
            tracing::error!(error = ?e, "marking the video failed did not work");
        }
        let _ = jobs::finish(
            self.services.db(),
            job.id,
            &self.worker_id,
            JobOutcome::Failed(error.to_owned()),
        )
        .await;
    }

    /// Exponential backoff with ±20 % jitter so retries of many jobs do not align.
    fn backoff(&self, attempts: i32) -> chrono::Duration {
        let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(0);
        let base = self
            .settings
            .backoff
            .saturating_mul(2u32.saturating_pow(exp))
            .min(self.settings.max_backoff);
        let jitter = rand::rng().random_range(0.8..1.2);
        chrono::Duration::from_std(base.mul_f64(jitter)).unwrap_or(chrono::Duration::seconds(60))
    }

    /// Renews the lease and stores progress while the job runs; cancels the job on shutdown or when the lease is
    /// lost.
    fn spawn_heartbeat(
        &self,
        job: &JobRow,
        video_id: uuid::Uuid,
        signals: &JobSignals,
        mut shutdown: watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        let (services, worker, id, every, lease) = (
            self.services.clone(),
            self.worker_id.clone(),
            job.id,
            self.settings.heartbeat,
            self.settings.lease,
        );
        let (cancel, progress) = (signals.cancel.clone(), signals.progress_bits.clone());
        tokio::spawn(async move {
            // Below any real progress, so the first report is stored (NaN here never compared as changed).
            let mut last_progress = -1.0_f32;
            let mut tick = tokio::time::interval(
                every
                    .min(std::time::Duration::from_secs(1))
                    .max(std::time::Duration::from_millis(200)),
            );
            let mut since_beat = std::time::Instant::now();
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = shutdown.changed() => {}
                }
                if *shutdown.borrow() {
                    cancel.store(true, Ordering::Relaxed);
                    return;
                }
                let p = f32::from_bits(progress.load(Ordering::Relaxed));
                if !p.is_nan() && (p - last_progress).abs() >= 0.01
                    || (p >= 1.0 && last_progress < 1.0)
                {
                    last_progress = p;
                    let _ = processing::record_progress(&services, video_id, p).await;
                }
                if since_beat.elapsed() >= every {
                    since_beat = std::time::Instant::now();
                    let until = Utc::now()
                        + chrono::Duration::from_std(lease)
                            .unwrap_or(chrono::Duration::seconds(60));
                    match jobs::heartbeat(services.db(), id, &worker, until).await {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::warn!("lease lost; stopping the job");
                            cancel.store(true, Ordering::Relaxed);
                            return;
                        }
                        Err(e) => tracing::warn!(error = ?e, "heartbeat failed; retrying"),
                    }
                }
            }
        })
    }
}

impl From<clipjury_service::ServiceError> for JobError {
    fn from(e: clipjury_service::ServiceError) -> Self {
        Self::Retryable(anyhow::Error::new(e))
    }
}
