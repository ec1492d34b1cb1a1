//! upward's application layer.
