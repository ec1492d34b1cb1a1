//! SPEC §4 intake (to be written).
