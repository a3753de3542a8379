package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class DatabaseOutageTest {

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(DatabaseOutage.class);

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
        logger.setLevel(null);
    }

    static DataAccessException failure(String sqlState) {
        return new DataAccessException("SQL [select 1]; failed", new SQLException("the server said no", sqlState));
    }

    @Test
    void connectionLossShutdownAndExhaustionAreOutagesAndWrongStatementsAreNot() {
        assertThat(DatabaseOutage.isOutage(failure("08006"))).as("connection failure").isTrue();
        assertThat(DatabaseOutage.isOutage(failure("08001"))).as("cannot connect").isTrue();
        assertThat(DatabaseOutage.isOutage(failure("57P01"))).as("admin shutdown").isTrue();
        assertThat(DatabaseOutage.isOutage(failure("57P03"))).as("starting up").isTrue();
        assertThat(DatabaseOutage.isOutage(failure("53100"))).as("disk full").isTrue();
        assertThat(DatabaseOutage.isOutage(failure("53300"))).as("too many connections").isTrue();
        assertThat(DatabaseOutage.isOutage(new DataAccessException("pool",
                new SQLTransientConnectionException("Connection is not available, request timed out after 10000ms"))))
                .as("the pool found no connection").isTrue();

        assertThat(DatabaseOutage.isOutage(failure("42P01"))).as("no such table").isFalse();
        assertThat(DatabaseOutage.isOutage(failure("23505"))).as("unique violation").isFalse();
        assertThat(DatabaseOutage.isOutage(failure("57014"))).as("statement cancelled").isFalse();
        assertThat(DatabaseOutage.isOutage(failure("40P01"))).as("a deadlock is a conflict").isFalse();
        assertThat(DatabaseOutage.isOutage(new IllegalStateException("no SQL here"))).isFalse();
    }

    @Test
    void deadlocksSerializationFailuresAndSqliteBusyAreConflicts() {
        assertThat(DatabaseOutage.isConflict(failure("40P01"))).isTrue();
        assertThat(DatabaseOutage.isConflict(failure("40001"))).isTrue();
        assertThat(DatabaseOutage.isConflict(new DataAccessException("busy",
                new SQLiteException("database is locked", SQLiteErrorCode.SQLITE_BUSY)))).isTrue();
        assertThat(DatabaseOutage.isConflict(new DataAccessException("busy",
                new SQLiteException("snapshot", SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT)))).isTrue();

        assertThat(DatabaseOutage.isConflict(new DataAccessException("full",
                new SQLiteException("database or disk is full", SQLiteErrorCode.SQLITE_FULL)))).isFalse();
        assertThat(DatabaseOutage.isConflict(failure("08006"))).isFalse();
    }

    @Test
    void anOutageIsWaitedOutAnnouncedOnceAndItsEndSaid() throws InterruptedException {
        DatabaseOutage outage = new DatabaseOutage(Duration.ofSeconds(30));
        AtomicInteger calls = new AtomicInteger();

        String result = outage.call("recording a task done", () -> {
            if (calls.incrementAndGet() <= 3) {
                throw failure("08006");
            }
            return "recorded";
        });

        assertThat(result).isEqualTo("recorded");
        assertThat(calls).hasValue(4);
        assertThat(outage.failures()).isEqualTo(3);
        List<String> lines = logged.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("WARN the database is unreachable (the server said no) while recording a task done;"
                + " waiting up to 30 s for it to come back");
        assertThat(lines.get(1)).startsWith("INFO the database is back after ");
    }

    @Test
    void aWrongStatementIsThrownAtOnce() {
        DatabaseOutage outage = new DatabaseOutage(Duration.ofMinutes(10));
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> outage.call("reading", () -> {
            calls.incrementAndGet();
            throw failure("42P01");
        })).isInstanceOf(DataAccessException.class);

        assertThat(calls).hasValue(1);
        assertThat(logged.list).isEmpty();
    }

    @Test
    void anOutageLongerThanTheTimeoutGivesUpNamingTheSetting() {
        DatabaseOutage outage = new DatabaseOutage(Duration.ofMillis(300));

        assertThatThrownBy(() -> outage.call("claiming a task", () -> {
            throw failure("57P01");
        })).isInstanceOf(AstraException.DatabaseUnavailable.class)
                .hasMessageStartingWith("the database was unreachable for 300 ms ([database] outage_timeout) while claiming a task:");
    }

    @Test
    void heartbeatsAreJudgedOnlyALeaseAfterAnOutageEnded() throws InterruptedException {
        DatabaseOutage outage = new DatabaseOutage(Duration.ofSeconds(30));
        assertThat(outage.steadyFor(Duration.ofSeconds(60))).as("no outage yet").isTrue();

        assertThatThrownBy(() -> outage.callOnce("ending stale claims", () -> {
            throw failure("08006");
        })).isInstanceOf(DataAccessException.class);
        assertThat(outage.steadyFor(Duration.ZERO)).as("during the outage").isFalse();

        outage.call("reading", () -> 1);
        assertThat(outage.steadyFor(Duration.ofSeconds(60))).as("just after it").isFalse();
        Thread.sleep(50);
        assertThat(outage.steadyFor(Duration.ofMillis(40))).as("a lease after it").isTrue();
    }

    @Test
    void aQuietProcessSaysItAtDebugOnly() throws InterruptedException {
        DatabaseOutage outage = new DatabaseOutage(Duration.ofSeconds(30)).quietly();
        AtomicInteger calls = new AtomicInteger();

        outage.call("claiming", () -> {
            if (calls.incrementAndGet() == 1) {
                throw failure("08006");
            }
            return 1;
        });

        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.DEBUG).hasSize(2);
    }
}
