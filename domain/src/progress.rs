//! Progress of long tasks — an import, a reindex — shown as a terminal bar or not at all.
//! Neutral: the importers and the search index both report through it.

/// Reports progress while a long task runs (a terminal progress bar, or nothing).
pub trait Progress: Send + Sync {
    /// The number of rows (or documents) to expect, once known.
    fn start(&self, rows: u64);
    /// `rows` more are done.
    fn advance(&self, rows: u64);
    /// The task is over.
    fn finish(&self);
}

/// Progress that is not shown (tests, background jobs).
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _rows: u64) {}
    fn advance(&self, _rows: u64) {}
    fn finish(&self) {}
}

/// A terminal progress bar.
pub struct ProgressBar(indicatif::ProgressBar);

impl ProgressBar {
    /// A bar on standard error, hidden when that is not a terminal.
    pub fn new(message: &'static str) -> Self {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(message);
        ProgressBar(bar)
    }
}

impl Progress for ProgressBar {
    fn start(&self, rows: u64) {
        self.0.set_length(rows);
    }
    fn advance(&self, rows: u64) {
        self.0.inc(rows);
    }
    fn finish(&self) {
        self.0.finish();
    }
}
