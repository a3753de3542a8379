package astra.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps the live run's workers and running tasks heartbeating (every 2 s) while the benchmark
 * lasts, so that the UI sees it live and no other run's sweep takes its claims for a dead worker's.
 */
final class UiHeartbeats implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stopped;

    UiHeartbeats(String url, String schema, long liveRunId) {
        thread = new Thread(() -> {
            try (Connection c = Postgres.connectTo(url, schema); Statement st = c.createStatement()) {
                while (!stopped) {
                    st.execute("update astra_worker set last_heartbeat = now() where run_id = " + liveRunId
                            + " and stopped_at is null");
                    st.execute("update astra_task set heartbeat_at = now() where state = 'RUNNING' and run_id = " + liveRunId);
                    Thread.sleep(2_000);
                }
            } catch (SQLException e) {
                System.err.println("bench: live run heartbeats stopped: " + Postgres.oneLine(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-ui-heartbeats");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
