//! What each subcommand does.

use std::io::{BufRead as _, IsTerminal as _};

use anyhow::Context as _;
use clipjury_service::auth;

use crate::config::Settings;
use crate::startup::{Application, build_services, open_database};

/// `clipjury serve`: migrate, print the set-up link when there is no admin yet, serve until stopped. With `--lan`
/// (room mode) it first finds the LAN address and prints the link to open with a QR code.
///
/// # Errors
/// When start-up fails, or room mode finds no LAN address.
pub async fn serve(
    mut settings: Settings,
    args: &crate::cli::ServeArgs,
    listen_given: bool,
) -> anyhow::Result<()> {
    let room = if args.lan {
        let address = crate::room::find_address(args.lan_interface.as_deref())?;
        crate::room::apply(&mut settings, &address, listen_given)?;
        Some(address)
    } else {
        None
    };
    let app = Application::build(&settings).await?;
    let every = std::time::Duration::from_secs(
        u64::from(settings.uploads.cleanup_interval_minutes.max(1)) * 60,
    );
    crate::startup::spawn_upload_cleanup(app.services().clone(), every);
    let setup = auth::setup_link_if_needed(app.services()).await?;
    let public_url = settings.public_url();
    match (&room, &setup) {
        (Some(address), Some(link)) => print!(
            "{}",
            crate::room::banner(
                &public_url,
                address,
                "No admin account yet. Open this one-time link (or scan it) to create one",
                link
            )?
        ),
        (Some(address), None) => {
            let admin = format!("{}/admin", public_url.trim_end_matches('/'));
            print!(
                "{}",
                crate::room::banner(&public_url, address, "The admin console", &admin)?
            );
        }
        // Printed, not only logged: this is the one thing a new operator must see.
        (None, Some(link)) => {
            println!(
                "\nNo admin account yet. Open this one-time link to create one:\n\n    {link}\n"
            );
        }
        (None, None) => {}
    }
    if setup.is_some() {
        tracing::info!("waiting for the first admin to use the set-up link");
    }
    tracing::info!(listen = %settings.server.listen, public_url = %settings.public_url(), "clipjury is serving");
    let (stop_workers, stopped) = tokio::sync::watch::channel(false);
    let workers = settings.worker.in_process.then(|| {
        tokio::spawn(clipjury_worker::run(
            app.services().clone(),
            settings.worker.to_worker(),
            stopped,
        ))
    });
    // actix stops on SIGINT/SIGTERM; then the workers release their jobs before the process exits.
    let served = app.run_until_stopped().await.context("HTTP server");
    let _ = stop_workers.send(true);
    if let Some(w) = workers {
        let _ = w.await;
    }
    served
}

/// `clipjury worker`: media workers only, until SIGTERM or Ctrl-C; a job running then is released to the queue.
///
/// # Errors
/// When the database or the media store is unusable.
pub async fn worker(settings: Settings) -> anyhow::Result<()> {
    let db = open_database(&settings).await?;
    let services = build_services(&settings, db).await?;
    if let Some(listen) = &settings.worker.metrics_listen {
        let server = crate::startup::metrics_server(listen, services.clone(), &settings)?;
        tokio::spawn(server);
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let workers = tokio::spawn(clipjury_worker::run(
        services,
        settings.worker.to_worker(),
        stopped,
    ));
    wait_for_stop_signal().await?;
    tracing::info!("stop signal received; finishing up");
    let _ = stop.send(true);
    workers.await.context("worker task")?;
    Ok(())
}

async fn wait_for_stop_signal() -> anyhow::Result<()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("SIGTERM handler")?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r.context("Ctrl-C handler")?,
        _ = term.recv() => {}
    }
    Ok(())
}

/// `clipjury migrate`.
///
/// # Errors
/// When a migration fails.
pub async fn migrate(settings: Settings) -> anyhow::Result<()> {
    open_database(&settings).await?;
    tracing::info!("database is up to date");
    Ok(())
}

/// `clipjury admin create --email E`.
///
/// # Errors
/// When the password cannot be read, or the e-mail or password is refused.
pub async fn admin_create(settings: Settings, email: &str) -> anyhow::Result<()> {
    let password = read_password()?;
    let db = open_database(&settings).await?;
    let services = build_services(&settings, db).await?;
    let admin = auth::create_admin(&services, email, password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("admin {} created", admin.email);
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("reading the password")?;
        let second = rpassword::prompt_password("Repeat: ").context("reading the password")?;
        anyhow::ensure!(first == second, "the passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// `clipjury backup DIR`.
///
/// # Errors
/// See [`crate::backup::backup`].
pub async fn backup(settings: Settings, dir: &std::path::Path) -> anyhow::Result<()> {
    let m = crate::backup::backup(&settings, dir).await?;
    let bytes: u64 = m.media.iter().map(|f| f.bytes).sum();
    println!(
        "backed up the database ({} bytes) and {} media files ({bytes} bytes) into {}",
        m.database.bytes,
        m.media.len(),
        dir.display()
    );
    Ok(())
}

/// `clipjury restore DIR`.
///
/// # Errors
/// See [`crate::backup::restore`].
pub async fn restore(settings: Settings, dir: &std::path::Path) -> anyhow::Result<()> {
    let m = crate::backup::restore(&settings, dir).await?;
    println!(
        "restored the backup of {} ({} media files); start clipjury to use it",
        m.created_at,
        m.media.len()
    );
    Ok(())
}

/// `clipjury openapi`.
///
/// # Errors
/// When the document cannot be serialised.
pub fn openapi() -> anyhow::Result<()> {
    use utoipa::OpenApi as _;
    println!(
        "{}",
        clipjury_api::openapi::ApiDoc::openapi().to_pretty_json()?
    );
    Ok(())
}

/// `clipjury rank FILE.csv`: prints the ranking of a score sheet as a table or JSON.
///
/// # Errors
/// When the file cannot be read, the method or tie rule is unknown, or the sheet has errors (each
/// named by its line).
pub fn rank(args: &crate::cli::RankArgs) -> anyhow::Result<()> {
    use clipjury_domain::judging::{
        Method, TieRule, parse_score_sheet, rank_sheet, render_json, render_table,
    };
    let method: Method = args.method.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let tie_rule: TieRule = args
        .tie_rule
        .parse()
        .map_err(|e| anyhow::anyhow!("--tie-rule: {e}"))?;
    let file = &args.file;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let ranking = parse_score_sheet(&text)
        .and_then(|sheet| rank_sheet(&sheet, method, args.lower_is_better, tie_rule))
        .map_err(|e| anyhow::anyhow!("{}:\n{e}", file.display()))?;
    println!(
        "{}",
        if args.json {
            render_json(&ranking)
        } else {
            render_table(&ranking)
        }
    );
    Ok(())
}
