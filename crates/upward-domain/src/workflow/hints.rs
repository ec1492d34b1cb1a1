//! SPEC §4 hints (to be written).
