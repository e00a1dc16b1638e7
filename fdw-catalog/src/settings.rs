//! Planner and session settings (cost GUCs, `enable_*`).
