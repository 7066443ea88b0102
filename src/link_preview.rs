//! Open Graph and Twitter tags for the public results page `/c/{slug}/results`. Facebook's and other sites' link
//! crawlers do not run JavaScript, so the server writes the tags into the app's `index.html`: a link pasted into a
//! post then shows the contest title, the winner's poster and plays the winner's 720p video.

use std::fmt::Write as _;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use clipjury_service::judging::{PublicPreview, Size};
use clipjury_service::{ServiceError, Services, judging};

/// The app's `index.html` (read once at start) and where the public reaches the server.
pub(crate) struct Preview {
    pub index: Arc<str>,
    /// `server.public_url`; without it, absolute URLs are built from the request's scheme and Host.
    pub public_url: Option<String>,
}

/// Answers `GET /c/{slug}/results`: the index with the tags (200) for a published contest, the plain index with 404
/// for an unknown or unpublished one (the app then shows its not-found page).
pub(crate) async fn results_page(
    req: HttpRequest,
    preview: web::Data<Preview>,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> HttpResponse {
    let html = |status: actix_web::http::StatusCode, body: String| {
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(body)
    };
    match judging::public_preview(&services, &path.into_inner()).await {
        Ok(p) => {
            let base = match &preview.public_url {
                Some(url) => url.trim_end_matches('/').to_owned(),
                None => {
                    let info = req.connection_info();
                    format!("{}://{}", info.scheme(), info.host())
                }
            };
            html(
                actix_web::http::StatusCode::OK,
                inject(&preview.index, &tags(&p, &base)),
            )
        }
        Err(ServiceError::NotFound { .. }) => html(
            actix_web::http::StatusCode::NOT_FOUND,
            preview.index.to_string(),
        ),
        Err(e) => {
            // The app still loads and shows its own error when the API fails too.
            tracing::error!(error = ?e, "building the results page preview failed");
            html(actix_web::http::StatusCode::OK, preview.index.to_string())
        }
    }
}

/// The page title and the `<meta>` tags, every value escaped.
pub(crate) struct Tags {
    pub title: String,
    pub meta: String,
}

fn tags(p: &PublicPreview, base: &str) -> Tags {
    let r = &p.results;
    let khmer = r.default_locale == "km";
    let title = if khmer {
        format!("លទ្ធផល៖ {}", r.title)
    } else {
        format!("Results: {}", r.title)
    };
    let winners: Vec<String> = r
        .places
        .iter()
        .map(|w| {
            let place = w.place.map_or_else(String::new, |n| format!("{n}. "));
            format!("{place}{} ({})", w.title, w.group_name)
        })
        .collect();
    let description = if khmer {
        format!("វីដេអូឈ្នះ៖ {}", winners.join(" · "))
    } else {
        format!("The winning videos: {}", winners.join(" · "))
    };
    let url = format!("{base}/c/{}/results", r.slug);
    let mut meta = String::new();
    let mut add = |attr: &str, key: &str, value: &str| {
        let _ = writeln!(
            meta,
            "    <meta {attr}=\"{key}\" content=\"{}\" />",
            escape(value)
        );
    };
    add("name", "description", &description);
    add("property", "og:site_name", "clipjury");
    add("property", "og:title", &title);
    add("property", "og:description", &description);
    add("property", "og:url", &url);
    add(
        "property",
        "og:locale",
        if khmer { "km_KH" } else { "en_US" },
    );
    let winner = r.places.first();
    add(
        "property",
        "og:type",
        if winner.is_some() {
            "video.other"
        } else {
            "website"
        },
    );
    add("name", "twitter:card", "summary_large_image");
    add("name", "twitter:title", &title);
    add("name", "twitter:description", &description);
    if let Some(w) = winner {
        let media = format!("{base}/api/videos/{}", w.video_id);
        let image = format!("{media}/poster-1280.jpg");
        add("property", "og:image", &image);
        add("property", "og:image:type", "image/jpeg");
        add_size(&mut add, "og:image", p.poster);
        add(
            "property",
            "og:image:alt",
            &format!("{} ({})", w.title, w.group_name),
        );
        add("name", "twitter:image", &image);
        let video = format!("{media}/720p.mp4");
        add("property", "og:video", &video);
        if video.starts_with("https://") {
            add("property", "og:video:secure_url", &video);
        }
        add("property", "og:video:type", "video/mp4");
        add_size(&mut add, "og:video", p.video);
    }
    Tags {
        title: escape(&title),
        meta,
    }
}

fn add_size(add: &mut impl FnMut(&str, &str, &str), prefix: &str, size: Option<Size>) {
    if let Some(s) = size {
        add("property", &format!("{prefix}:width"), &s.width.to_string());
        add(
            "property",
            &format!("{prefix}:height"),
            &s.height.to_string(),
        );
    }
}

/// Puts the tags into the page: the title replaces the app's `<title>`, the meta tags go before `</head>`.
pub(crate) fn inject(index: &str, tags: &Tags) -> String {
    let mut html = match (index.find("<title>"), index.find("</title>")) {
        (Some(start), Some(end)) if start < end => format!(
            "{}<title>{}</title>{}",
            &index[..start],
            tags.title,
            &index[end + "</title>".len()..]
        ),
        _ => index.to_owned(),
    };
    let at = html.find("</head>").unwrap_or(0);
    html.insert_str(at, &tags.meta);
    html
}

/// Escapes text for an HTML attribute value or element content.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Tags, escape, inject};

    #[test]
    fn escape_covers_markup_and_both_quotes() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn inject_replaces_the_title_and_adds_tags_before_head_end() {
        let tags = Tags {
            title: "T &amp; U".into(),
            meta: "<meta x />\n".into(),
        };
        let html = inject(
            "<html><head><title>clipjury</title></head><body></body></html>",
            &tags,
        );
        assert_eq!(
            html,
            "<html><head><title>T &amp; U</title><meta x />\n</head><body></body></html>"
        );
    }
}
