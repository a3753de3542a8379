package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    private static final Path DIR = Path.of("/work/project");

    private static BiFunction<String, String, Optional<String>> config(Map<String, String> database) {
        return (section, key) -> "database".equals(section) ? Optional.ofNullable(database.get(key)) : Optional.empty();
    }

    @Test
    void embeddedDefaultIsASqliteFileUnderDotAstra() {
        DatabaseSettings settings = DatabaseSettings.embeddedDefault(DIR);

        assertThat(settings.url()).isEqualTo("jdbc:sqlite:/work/project/.astra/astra.db");
        assertThat(settings.dialect()).isEqualTo(SQLDialect.SQLITE);
        assertThat(settings.usePooling()).isTrue();
        assertThat(settings.poolSize()).isEqualTo(4);
        assertThat(settings.user()).isNull();
    }

    @Test
    void withNothingConfiguredTheEmbeddedDefaultIsUsed() {
        assertThat(DatabaseSettings.from(config(Map.of()), null, DIR)).isEqualTo(DatabaseSettings.embeddedDefault(DIR));
    }

    @Test
    void theSectionGivesUrlUserPoolAndTimeout() {
        DatabaseSettings settings = DatabaseSettings.from(config(Map.of(
                "url", "jdbc:postgresql://db.example.org/sdss5db", "user", "sdss", "pool_size", "8",
                "use_pooling", "false", "connect_timeout", "30")), null, DIR);

        assertThat(settings).isEqualTo(new DatabaseSettings(
                "jdbc:postgresql://db.example.org/sdss5db", "sdss", false, 8, Duration.ofSeconds(30)));
        assertThat(settings.dialect()).isEqualTo(SQLDialect.POSTGRES);
        assertThat(settings.describe()).isEqualTo("jdbc:postgresql://db.example.org/sdss5db as sdss");
    }

    @Test
    void theDbOptionWinsOverTheSectionButTheOtherKeysStillApply() {
        DatabaseSettings settings = DatabaseSettings.from(config(Map.of(
                "url", "jdbc:postgresql://db.example.org/sdss5db", "pool_size", "2")),
                "jdbc:sqlite:/tmp/x.db", DIR);

        assertThat(settings.url()).isEqualTo("jdbc:sqlite:/tmp/x.db");
        assertThat(settings.poolSize()).isEqualTo(2);
    }

    @Test
    void astrasTablesGoToTheSchemaAstraUnlessTheSectionNamesAnother() {
        assertThat(DatabaseSettings.from(config(Map.of()), null, DIR).schema()).isEqualTo("astra");
        assertThat(DatabaseSettings.from(config(Map.of("schema", "astra_dev")), null, DIR).schema()).isEqualTo("astra_dev");
        assertThat(DatabaseSettings.of("jdbc:postgresql://h/db", null).withSchema("pipeline").schema()).isEqualTo("pipeline");
    }

    @Test
    void parametersNameAPostgresDatabaseWithoutAUrl() {
        assertThat(DatabaseSettings.fromParameters(Map.of("dbname", "sdss5db", "host", "db.utah.edu", "user", "sdss")))
                .extracting(DatabaseSettings::url, DatabaseSettings::user)
                .containsExactly("jdbc:postgresql://db.utah.edu:5432/sdss5db", "sdss");
        assertThat(DatabaseSettings.fromParameters(Map.of("dbname", "test", "port", 5433)).url())
                .isEqualTo("jdbc:postgresql://localhost:5433/test");
        DatabaseSettings base = DatabaseSettings.of("jdbc:postgresql://db.example.org/astra?sslmode=require", "me");
        assertThat(base.withParameters("sdss5db", null, null, 6543).url())
                .isEqualTo("jdbc:postgresql://db.example.org:6543/sdss5db?sslmode=require");
        assertThat(base.withParameters(null, "other", "h2", null)).extracting(DatabaseSettings::url, DatabaseSettings::user)
                .containsExactly("jdbc:postgresql://h2/astra?sslmode=require", "other");
    }

    @Test
    void badParametersAreBadInput() {
        assertThatThrownBy(() -> DatabaseSettings.fromParameters(Map.of("host", "h")))
                .isInstanceOf(AstraException.BadInput.class).hasMessage("connection parameters need a dbname");
        assertThatThrownBy(() -> DatabaseSettings.fromParameters(Map.of("dbname", "d", "password", "x")))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("unknown connection parameter 'password': use dbname, host, port and user"
                        + " (passwords come from ~/.pgpass)");
        assertThatThrownBy(() -> DatabaseSettings.of("jdbc:sqlite:/tmp/a.db", null).withParameters("x", null, null, null))
                .isInstanceOf(AstraException.BadInput.class).hasMessageContaining("need a jdbc:postgresql://host[:port]/db URL");
    }

    @Test
    void echoIsOffUnlessTheSectionTurnsItOn() {
        assertThat(DatabaseSettings.from(config(Map.of()), null, DIR).echo()).isFalse();
        assertThat(DatabaseSettings.from(config(Map.of("echo", "true")), null, DIR).echo()).isTrue();
        assertThatThrownBy(() -> DatabaseSettings.from(config(Map.of("echo", "loud")), null, DIR))
                .isInstanceOf(AstraException.BadConfig.class).hasMessage("[database] echo 'loud' is not a boolean: use true or false");
    }

    @Test
    void aSchemaNameThatWouldNeedQuotingIsBadConfig() {
        for (String bad : new String[] {"Astra", "astra-prod", "1st", "astra.task", "x".repeat(64)}) {
            assertThatThrownBy(() -> DatabaseSettings.from(config(Map.of("schema", bad)), null, DIR)).as(bad)
                    .isInstanceOf(AstraException.BadConfig.class)
                    .hasMessage("[database] schema '" + bad + "' is not a schema name Astra uses: lower-case letters,"
                            + " digits and _, starting with a letter or _, at most 63 characters");
        }
    }

    @Test
    void unsupportedUrlsAreBadConfigNamingWhereTheyCameFrom() {
        assertThatThrownBy(() -> DatabaseSettings.from(config(Map.of("url", "mysql://localhost/astra")), null, DIR))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("[database] url 'mysql://localhost/astra' is not supported:"
                        + " use jdbc:postgresql://host/db or jdbc:sqlite:path");
        assertThatThrownBy(() -> DatabaseSettings.from(config(Map.of()), "postgres://h/db?password=hunter2", DIR))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessageStartingWith("--db 'postgres://h/db?password=***' is not supported")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseSettings.of("jdbc:sqlite:", null))
                .isInstanceOf(AstraException.BadConfig.class).hasMessageContaining("names no file");
    }

    @Test
    void badNumbersAreBadConfigNamingTheKeyAndValue() {
        assertThatThrownBy(() -> DatabaseSettings.from(config(Map.of("pool_size", "0")), null, DIR))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("[database] pool_size must be at least 1, got 0");
        assertThatThrownBy(() -> DatabaseSettings.from(config(Map.of("pool_size", "many")), null, DIR))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("[database] pool_size 'many' is not a whole number");
        assertThatThrownBy(() -> DatabaseSettings.from(config(Map.of("use_pooling", "maybe")), null, DIR))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessageStartingWith("[database] use_pooling 'maybe' is not a boolean");
        assertThatThrownBy(() -> DatabaseSettings.from(config(Map.of("connect_timeout", "soon")), null, DIR))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessageStartingWith("[database] connect_timeout 'soon' is not a duration");
        assertThatThrownBy(() -> DatabaseSettings.from(config(Map.of("connect_timeout", "0")), null, DIR))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessageStartingWith("[database] connect_timeout must be positive");
    }

    @Test
    void connectTimeoutTakesSecondsOrSimpleDurations() {
        assertThat(DatabaseSettings.parseTimeout("15")).isEqualTo(Duration.ofSeconds(15));
        assertThat(DatabaseSettings.parseTimeout("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(DatabaseSettings.parseTimeout("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DatabaseSettings.parseTimeout("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DatabaseSettings.parseTimeout("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DatabaseSettings.parseTimeout("pt5s")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void passwordsNeverShow() {
        DatabaseSettings settings = DatabaseSettings.of(
                "jdbc:postgresql://h/db?user=astra&password=s3cret&sslpassword=k3y&ssl=true", null);

        assertThat(settings.toString()).doesNotContain("s3cret", "k3y").contains("password=***", "ssl=true");
        assertThat(settings.describe()).isEqualTo("jdbc:postgresql://h/db?user=astra&password=***&sslpassword=***&ssl=true as astra");
        assertThat(DatabaseSettings.maskPassword("jdbc:postgresql://astra:s3cret@h/db")).isEqualTo("jdbc:postgresql://astra:***@h/db");
        assertThat(DatabaseSettings.maskPassword("jdbc:postgresql://h/db?PASSWORD=x;user=y")).isEqualTo("jdbc:postgresql://h/db?PASSWORD=***;user=y");
    }

    @Test
    void describeOmitsAnUnknownUser() {
        assertThat(DatabaseSettings.of("jdbc:postgresql://h/db", null).describe()).isEqualTo("jdbc:postgresql://h/db");
        assertThat(DatabaseSettings.of("jdbc:postgresql://h/db?user=u", "v").describe()).endsWith(" as v");
    }
}
