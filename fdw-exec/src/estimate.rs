//! Remote estimates (`use_remote_estimate`, spec §3.5): `EXPLAIN <sql>`
//! sent over the cached connection, its first line read by
//! [`fdw_cost::remote::parse_explain_line`].

use std::sync::Mutex;

use fdw_catalog::Catalog;
use fdw_core::Oid;
use fdw_cost::remote::{parse_explain_line, RemoteEstimate, RemoteEstimator};

use crate::connection::{Executor, Isolation};
use crate::error::{Error, Result};

impl Executor {
    /// The estimate of `explain_sql` (a complete `EXPLAIN ...` statement,
    /// as postgres_fdw builds it) on `server`, sent with the simple
    /// protocol inside the current transaction (or one of its own).
    ///
    /// # Errors
    ///
    /// The connection's or the remote server's error, or a first line
    /// without an estimate.
    pub async fn remote_explain(
        &mut self,
        catalog: &Catalog,
        server: Oid,
        explain_sql: &str,
    ) -> Result<RemoteEstimate> {
        let implicit = !self.in_transaction();
        if implicit {
            self.begin(Isolation::ReadCommitted)?;
        }
        let result = async {
            let conn = self.connection(catalog, server, None, explain_sql).await?;
            let rows = conn.simple_query(explain_sql).await?;
            let line = rows
                .first()
                .and_then(|r| r.first())
                .cloned()
                .flatten()
                .unwrap_or_default();
            parse_explain_line(&line).ok_or_else(|| Error::Explain {
                server: conn.server().to_owned(),
                sql: explain_sql.to_owned(),
                line,
            })
        }
        .await;
        if implicit {
            match &result {
                Ok(_) => self.commit().await?,
                Err(_) => {
                    self.abort().await;
                }
            }
        }
        result
    }
}

/// A [`RemoteEstimator`] for the synchronous planner: it owns a runtime
/// and drives an [`Executor`] on it, so its connections are cached across
/// estimates.
pub struct BlockingEstimator<'c> {
    catalog: &'c Catalog,
    runtime: tokio::runtime::Runtime,
    executor: Mutex<Executor>,
}

impl std::fmt::Debug for BlockingEstimator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingEstimator").finish_non_exhaustive()
    }
}

impl<'c> BlockingEstimator<'c> {
    /// An estimator over `catalog`'s servers, using `executor`'s
    /// connections. Must not be called from inside an async runtime.
    ///
    /// # Errors
    ///
    /// When the runtime cannot be built.
    pub fn new(catalog: &'c Catalog, executor: Executor) -> Result<BlockingEstimator<'c>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::State(format!("cannot start a runtime: {e}")))?;
        Ok(BlockingEstimator {
            catalog,
            runtime,
            executor: Mutex::new(executor),
        })
    }

    /// The executor back (with its open connections).
    pub fn into_executor(self) -> Executor {
        self.executor
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
    }
}

impl RemoteEstimator for BlockingEstimator<'_> {
    fn explain(&self, server: Oid, sql: &str) -> Result<RemoteEstimate, String> {
        let mut executor = self.executor.lock().unwrap_or_else(|e| e.into_inner());
        self.runtime
            .block_on(executor.remote_explain(self.catalog, server, sql))
            .map_err(|e| e.to_string())
    }
}
