//! Terraform values, resolved symbolically: see `eval` (this step only
//! moves the file; the next one splits it by job).

mod eval;

pub use eval::*;

use super::{same_stack_principal, weight, Budget, RESOLVE_BUDGET};
