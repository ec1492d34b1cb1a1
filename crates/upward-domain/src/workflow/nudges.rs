//! SPEC §4 nudges (to be written).
