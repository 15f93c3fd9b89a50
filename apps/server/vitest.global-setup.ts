// Starts one throwaway PostgreSQL cluster for the server's test run: the PostgreSQL store's and the
// cluster bus's tests connect to it, and in the `postgres` project every test's store lives in it.
import { startPostgresCluster } from "../../scripts/postgres-cluster.mjs";

export default async function setup(): Promise<() => void> {
  const cluster = await startPostgresCluster();
  process.env.BUILDSIM_TEST_POSTGRES_URL = cluster.url;
  return () => cluster.stop();
}
