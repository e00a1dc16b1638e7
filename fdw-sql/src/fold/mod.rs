//! Constant folding as the planner's `eval_const_expressions` does it.
