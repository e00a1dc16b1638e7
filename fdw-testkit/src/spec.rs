//! The spec's verified examples (§6.2) as a regression set.
