//! Exporters: each turns results into bytes; an [`Outbox`] alone decides where they go and
//! writes them as one set that replaces the previous set in its folder whole (the guarantee is
//! documented in `outbox.rs`), so a reader never sees a half-written file or a mix of two runs'
//! files.

mod capacity_csv;
pub mod glance;
mod outbox;
mod sensitivity_csv;
mod summary_csv;
pub mod target;

pub use capacity_csv::{CAPACITY_COLUMNS, CapacityRow, capacity_csv, capacity_rows};
pub use outbox::{
    Committed, Keep, MANIFEST, Outbox, Previous, SetError, StopFlag, discard_all, real_path,
};
pub use sensitivity_csv::{SENSITIVITY_COLUMNS, sensitivity_csv};
pub use summary_csv::summary_csv;
