//! SPEC §4 meet (to be written).
