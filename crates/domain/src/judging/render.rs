//! Pure renderers of a [`Ranking`] for the `clipjury rank` command: JSON and a text table.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Decider, EntryFlag, Method, RankedEntry, Ranking, TieBreak, TieRule};

/// The JSON document of `clipjury rank --json`. Field order is the output order; statistics
/// that are undefined for the data are `null`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JsonReport {
    /// The method used.
    pub method: Method,
    /// The tie-breakers tried, in order (empty for `--tie-rule none`).
    pub tie_rule: TieRule,
    /// Entries in place order.
    pub entries: Vec<JsonEntry>,
    /// Kendall's W without tie correction.
    pub kendall_w: Option<f64>,
    /// Kendall's W with tie correction.
    pub kendall_w_tie_corrected: Option<f64>,
    /// Friedman's χ².
    pub chi2: Option<f64>,
    /// Degrees of freedom of χ².
    pub df: Option<u32>,
    /// Upper-tail p-value of χ².
    pub p_value: Option<f64>,
    /// Jurors in input order.
    pub jurors: Vec<JsonJuror>,
}

/// One entry of [`JsonReport`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JsonEntry {
    /// Entry label.
    pub entry: String,
    /// The method's value; for rank_sum the (rescaled) rank sum.
    pub value: Option<f64>,
    /// Competition place.
    pub place: u32,
    /// Still shares its place after the tie rule.
    pub tied: bool,
    /// Had the same value as another entry before the tie rule.
    pub tied_on_value: bool,
    /// The tie-breaker that separated it from every entry it had tied with; `null` when it had
    /// no tie or its tie stands.
    pub tie_broken_by: Option<TieBreak>,
}

/// One juror of [`JsonReport`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JsonJuror {
    /// Juror label.
    pub juror: String,
    /// Spearman ρ against the other jurors.
    pub spearman_rho: Option<f64>,
}

/// The JSON report's content, for callers that embed it in a larger document.
#[must_use]
pub fn json_report(ranking: &Ranking) -> JsonReport {
    let stats = &ranking.statistics;
    JsonReport {
        method: ranking.method,
        tie_rule: ranking.tie_rule.clone(),
        entries: ranking
            .entries
            .iter()
            .map(|e| JsonEntry {
                entry: e.entry.clone(),
                value: e.value,
                place: e.place,
                tied: e.tied,
                tied_on_value: e.tied_on_value,
                tie_broken_by: match e.decided_by {
                    Some(Decider::TieBreak(step)) if !e.tied => Some(step),
                    _ => None,
                },
            })
            .collect(),
        kendall_w: stats.kendall_w,
        kendall_w_tie_corrected: stats.kendall_w_tie_corrected,
        chi2: stats.chi2,
        df: stats.df,
        p_value: stats.p_value,
        jurors: stats
            .jurors
            .iter()
            .map(|j| JsonJuror {
                juror: j.juror.clone(),
                spearman_rho: j.spearman_rho,
            })
            .collect(),
    }
}

/// The JSON report as pretty-printed text (2-space indent, no trailing newline).
#[must_use]
pub fn render_json(ranking: &Ranking) -> String {
    // Serialising plain structs of strings, numbers and options into a String cannot fail.
    serde_json::to_string_pretty(&json_report(ranking)).unwrap_or_default()
}

/// A readable, aligned text table of the ranking, all methods side by side, and the
/// agreement statistics underneath. Ends with a newline.
#[must_use]
pub fn render_table(ranking: &Ranking) -> String {
    let mut out = String::new();
    let direction = if ranking.lower_is_better {
        "lower"
    } else {
        "higher"
    };
    let goal = if ranking.method == Method::RankSum {
        "lower rank sum"
    } else {
        direction
    };
    let chain: Vec<&str> = ranking
        .tie_rule
        .steps()
        .iter()
        .map(|s| s.as_str())
        .collect();
    let chain = if chain.is_empty() {
        "none".to_owned()
    } else {
        chain.join(", then ")
    };
    let _ = writeln!(
        out,
        "Ranking by {} ({goal} is better), tie rule: {chain}",
        ranking.method
    );
    let _ = writeln!(out);
    let m = ranking.jurors.len();
    let rows = ranking
        .entries
        .iter()
        .map(|e| {
            vec![
                place_label(e.place, e.tied),
                e.entry.clone(),
                number(e.value),
                format!("{} of {m}", e.jurors_scored),
                e.spread
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |s| s.range.to_string()),
                notes(e, m),
            ]
        })
        .collect();
    let value_header = ranking.method.as_str();
    out.push_str(&table(
        &["Place", "Entry", value_header, "Jurors", "Spread", "Notes"],
        rows,
        &[false, false, true, true, true, false],
    ));
    write_ties(&mut out, ranking);
    write_methods(&mut out, ranking);
    write_agreement(&mut out, ranking);
    out
}

fn place_label(place: u32, tied: bool) -> String {
    if tied {
        format!("{place}=")
    } else {
        place.to_string()
    }
}

/// A value to three decimals, so decimal points line up (`-0.000` shown as `0.000`).
fn number(value: Option<f64>) -> String {
    match value {
        Some(v) => {
            let text = format!("{v:.3}");
            if text == "-0.000" {
                "0.000".to_owned()
            } else {
                text
            }
        }
        None => "-".to_owned(),
    }
}

fn notes(e: &RankedEntry, jurors: usize) -> String {
    let mut notes = Vec::new();
    match e.decided_by {
        Some(Decider::TieBreak(step)) if !e.tied => notes.push(format!("tie broken by {step}")),
        Some(Decider::Admin) => notes.push("placed by admin decision".to_owned()),
        _ => {}
    }
    for flag in &e.flags {
        notes.push(match flag {
            EntryFlag::Tied => "tied".to_owned(),
            EntryFlag::Recusal => format!("{} recused", e.jurors_recused),
            EntryFlag::MissingScores => format!("{} without score", e.jurors_missing),
            EntryFlag::Unscored => "not scored".to_owned(),
            EntryFlag::HighSpread => "high spread".to_owned(),
            EntryFlag::RankSumRescaled => format!("rank sum x {jurors}/{}", e.jurors_scored),
        });
    }
    notes.join(", ")
}

fn write_ties(out: &mut String, ranking: &Ranking) {
    for tie in &ranking.ties {
        let where_ = if tie.touches_top3 {
            "touches the top 3: an admin must decide before publishing"
        } else {
            "below the top 3"
        };
        let _ = writeln!(
            out,
            "\nTie at place {}: {} ({where_}).",
            tie.place,
            tie.entries.join(", ")
        );
    }
    for decision in &ranking.admin_decisions {
        let _ = writeln!(
            out,
            "\nAdmin decision: {} (reason: {}).",
            decision.order.join(" > "),
            decision.reason
        );
    }
}

fn write_methods(out: &mut String, ranking: &Ranking) {
    let _ = writeln!(out, "\nAll methods side by side:\n");
    let mut headers = vec!["Entry"];
    for column in &ranking.methods {
        headers.extend([column.method.as_str(), "place"]);
    }
    let rows = ranking
        .entries
        .iter()
        .map(|e| {
            let mut row = vec![e.entry.clone()];
            for column in &ranking.methods {
                match column.entries.iter().find(|p| p.entry == e.entry) {
                    Some(p) => row.extend([number(p.value), place_label(p.place, p.tied)]),
                    None => row.extend([String::new(), String::new()]),
                }
            }
            row
        })
        .collect();
    let mut right = vec![true; headers.len()];
    right[0] = false;
    out.push_str(&table(&headers, rows, &right));
}

fn write_agreement(out: &mut String, ranking: &Ranking) {
    let s = &ranking.statistics;
    let basis = &s.basis;
    let _ = write!(
        out,
        "\nAgreement between jurors ({} jurors, {} entries",
        basis.jurors.len(),
        basis.entries.len()
    );
    if !basis.excluded_entries.is_empty() {
        let _ = write!(
            out,
            "; left out: {}, not scored by every juror",
            basis.excluded_entries.join(", ")
        );
    }
    if !basis.excluded_jurors.is_empty() {
        let _ = write!(
            out,
            "; left out: {}, who did not score every entry",
            basis.excluded_jurors.join(", ")
        );
    }
    let _ = writeln!(out, "):");
    let fixed = |v: Option<f64>, places: usize| {
        v.map_or_else(|| "undefined".to_owned(), |v| format!("{v:.places$}"))
    };
    let _ = writeln!(
        out,
        "  Kendall's W                {}",
        fixed(s.kendall_w, 3)
    );
    let _ = writeln!(
        out,
        "  Kendall's W, tie-corrected {}",
        fixed(s.kendall_w_tie_corrected, 3)
    );
    let df =
        s.df.map_or_else(|| "undefined".to_owned(), |d| d.to_string());
    let _ = writeln!(
        out,
        "  chi-squared                {} (df {df}), p = {}",
        fixed(s.chi2, 3),
        fixed(s.p_value, 4)
    );
    let _ = writeln!(out);
    let rows = s
        .jurors
        .iter()
        .map(|j| {
            let note = if j.disagrees {
                "orders entries against the others"
            } else {
                ""
            };
            vec![
                j.juror.clone(),
                j.entries_scored.to_string(),
                fixed(j.spearman_rho, 3),
                note.to_owned(),
            ]
        })
        .collect();
    out.push_str(&table(
        &["Juror", "Scored", "Spearman rho", "Notes"],
        rows,
        &[false, true, true, false],
    ));
    if let (Some(threshold), Some(range)) = (&ranking.high_spread_threshold, &ranking.score_range) {
        let (min, max) = (range.min(), range.max());
        let _ = writeln!(
            out,
            "\nHigh spread: scores {threshold} or more apart (30% of the score range {min} to {max})."
        );
    }
    if ranking.rank_sum_rescaled {
        let _ = writeln!(
            out,
            "Rank sums with absent jurors are rescaled: a juror who scored k of n entries counts\n\
             rank x (n+1)/(k+1); an entry's sum counts x jurors / jurors present."
        );
    }
}

/// Aligns `rows` under `headers`; `right[i]` right-aligns column `i`. Trailing spaces trimmed.
fn table(headers: &[&str], rows: Vec<Vec<String>>, right: &[bool]) -> String {
    let header_row: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    let all: Vec<Vec<String>> = std::iter::once(header_row).chain(rows).collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| {
            all.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &all {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.chars().count());
            if c > 0 {
                line.push_str("  ");
            }
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
