//! Values of built-in types: input and output functions and the evaluators of immutable built-ins.
