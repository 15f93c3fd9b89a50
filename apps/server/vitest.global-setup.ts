// Starts one throwaway PostgreSQL cluster for the server's test run: the PostgreSQL store's and the
// cluster bus's tests connect to it, and with BUILDSIM_TEST_BACKEND=postgres every test's store lives in it.
import { startPostgresCluster } from "./src/test-support/postgres-cluster.js";

export default async function setup(): Promise<() => void> {
  const cluster = await startPostgresCluster();
  process.env.BUILDSIM_TEST_POSTGRES_URL = cluster.url;
  return () => cluster.stop();
}
