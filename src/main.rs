use clap::Parser as _;
use clipjury::cli::{AdminCommand, Cli, Command};
use clipjury::config::Settings;
use clipjury::{commands, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Rank(args) = &cli.command {
        // Offline: no settings, no database, no logs on stdout.
        return commands::rank(args);
    }
    let settings = Settings::load(cli.config.as_deref(), &cli.overrides())?;
    telemetry::init(settings.log_format, &settings.log_level);
    match cli.command {
        Command::Serve(args) => commands::serve(settings, &args, cli.listen.is_some()).await,
        Command::Worker => commands::worker(settings).await,
        Command::Migrate => commands::migrate(settings).await,
        Command::Admin {
            command: AdminCommand::Create { email },
        } => commands::admin_create(settings, &email).await,
        Command::Openapi => commands::openapi(),
        Command::Backup { dir } => commands::backup(settings, &dir).await,
        Command::Restore { dir } => commands::restore(settings, &dir).await,
        Command::Rank(_) => Ok(()),
    }
}
