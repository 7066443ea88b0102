//! Prometheus metrics of this process: HTTP requests, upload bytes, transcode durations; and the job queue's state,
//! read from the database when scraped (so every node reports the same cluster-wide queue).
//!
//! Built on `prometheus-client`, the Prometheus project's own Rust client: a registry value, not a global, typed
//! label sets, and text encoding without a background exporter.

use clipjury_db::repo::jobs::JobStatus;
use std::sync::Arc;

use clipjury_db::repo;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::{ServiceError, Services};

/// Labels of an HTTP request: the route pattern (never the concrete path, so ids do not leak into labels or blow
/// up cardinality), the method and the status code.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RenditionLabel {
    rendition: String,
}

/// The metrics of one process. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    upload_bytes: Counter,
    jobs: Family<StatusLabel, Gauge>,
    transcode_seconds: Family<RenditionLabel, Histogram>,
    password_hashes: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A registry with every clipjury metric.
    #[must_use]
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("clipjury");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        let upload_bytes = Counter::default();
        registry.register(
            "upload_bytes",
            "Video bytes received and stored by uploads (tus and multipart)",
            upload_bytes.clone(),
        );
        let jobs = Family::<StatusLabel, Gauge>::default();
        registry.register(
            "jobs",
            "Media jobs in the shared queue by status (queued, running, done, failed), read at scrape time",
            jobs.clone(),
        );
        let transcode_seconds: Family<RenditionLabel, Histogram> =
            Family::new_with_constructor(|| {
                Histogram::new([1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 60.0, 120.0, 300.0, 600.0])
            });
        registry.register(
            "transcode_seconds",
            "Seconds one rendition took to transcode in this process",
            transcode_seconds.clone(),
        );
        let password_hashes = Counter::default();
        registry.register(
            "password_hashes",
            "argon2 password hashes and verifications run (login, set-up, admin create)",
            password_hashes.clone(),
        );
        Self {
            registry: Arc::new(registry),
            password_hashes,
            requests,
            upload_bytes,
            jobs,
            transcode_seconds,
        }
    }

    /// Counts one answered HTTP request.
    pub fn record_request(&self, labels: RequestLabels) {
        self.requests.get_or_create(&labels).inc();
    }

    /// Counts stored upload bytes.
    pub fn record_upload_bytes(&self, bytes: u64) {
        self.upload_bytes.inc_by(bytes);
    }

    /// Counts one argon2 run.
    pub fn record_password_hash(&self) {
        self.password_hashes.inc();
    }

    /// argon2 runs so far.
    #[must_use]
    pub fn password_hashes(&self) -> u64 {
        self.password_hashes.get()
    }

    /// Records how long one rendition took.
    pub fn record_transcode(&self, rendition: &str, seconds: f64) {
        self.transcode_seconds
            .get_or_create(&RenditionLabel {
                rendition: rendition.to_owned(),
            })
            .observe(seconds);
    }

    fn encode(&self) -> Result<String, ServiceError> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .map_err(|e| anyhow::anyhow!("encoding metrics: {e}"))?;
        Ok(out)
    }
}

/// The metrics in the OpenMetrics text format, with the job counts refreshed from the database.
///
/// # Errors
/// [`ServiceError::Unexpected`] when the database cannot be read.
pub async fn render(services: &Services) -> Result<String, ServiceError> {
    let m = &services.metrics;
    let counts = repo::jobs::count_by_status(&services.db).await?;
    for status in JobStatus::ALL {
        let n = counts
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n);
        m.jobs
            .get_or_create(&StatusLabel {
                status: status.as_str().to_owned(),
            })
            .set(n);
    }
    m.encode()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_text_format_has_every_family_with_its_labels() {
        let m = Metrics::new();
        m.record_request(RequestLabels {
            route: "/api/uploads/{id}".into(),
            method: "PATCH".into(),
            status: 204,
        });
        m.record_upload_bytes(1000);
        m.record_transcode("720p", 3.0);
        let text = m.encode().unwrap();
        assert!(
            text.contains(r#"clipjury_http_requests_total{route="/api/uploads/{id}",method="PATCH",status="204"} 1"#),
            "{text}"
        );
        assert!(text.contains("clipjury_upload_bytes_total 1000"), "{text}");
        assert!(
            text.contains(r#"clipjury_transcode_seconds_count{rendition="720p"} 1"#)
                && text.contains(r#"clipjury_transcode_seconds_sum{rendition="720p"} 3.0"#),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"));
    }
}
