//! SPEC §4 tour (to be written).
