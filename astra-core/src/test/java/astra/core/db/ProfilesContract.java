package astra.core.db;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.store.RunInfo;
import astra.core.testing.DatabaseExtension;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Profiles and the post-connect hook, the same on every database; one subclass per database. */
public abstract class ProfilesContract {

    @RegisterExtension
    final DatabaseExtension db = database();

    protected abstract DatabaseExtension database();

    /** A config with two profiles on this test's database, the second with a pool of one. */
    DatabaseChoice twoProfiles(String chosen) {
        String url = db.settings().url();
        Config config = Config.parse("[database]\nschema = " + db.settings().schema() + "\n\n[database.profile main]\nurl = "
                + url + "\n\n[database.profile small]\nurl = " + url + "\npool_size = 1\n", "test.cfg", Map.of());
        return DatabaseProfiles.from(config).choose(config, null, chosen, Map.of(), () -> "h.example.org", Path.of(""));
    }

    @Test
    void opensTheChosenProfileAndSwitchesToAnother() {
        try (Database database = Database.open(twoProfiles("main"))) {
            assertThat(database.profile()).map(DatabaseProfile::name).contains("main");
            assertThat(database.listProfiles()).extracting(DatabaseProfile::name).containsExactly("main", "small");

            database.setProfile("small");

            assertThat(database.profile()).map(DatabaseProfile::name).contains("small");
            assertThat(database.settings().poolSize()).isEqualTo(1);
            assertThat(database.store().startRun(new RunInfo("R", "h", 1, "c"))).isPositive();
        }
    }

    /** Profiles "elsewhere" (another domain) and "here" (this host's, a pool of one) on this test's database. */
    DatabaseChoice domainProfiles(boolean withHere) {
        String url = db.settings().url();
        Config config = Config.parse("[database]\nschema = " + db.settings().schema() + "\n\n[database.profile elsewhere]\nurl = "
                + url + "\ndomain = *.nowhere.example\n\n"
                + (withHere ? "[database.profile here]\nurl = " + url + "\npool_size = 1\ndomain = "
                        + DatabaseProfiles.localHostName() + "\n" : ""), "test.cfg", Map.of());
        return DatabaseProfiles.from(config).choose(config, null, "elsewhere", Map.of(), () -> "h", Path.of(""));
    }

    @Test
    void setProfileOfNullTakesTheProfileWhoseDomainIsThisHosts() {
        try (Database database = Database.open(domainProfiles(true))) {
            database.setProfile(null);

            assertThat(database.profile()).map(DatabaseProfile::name).contains("here");
            assertThat(database.settings().poolSize()).isEqualTo(1);
        }
    }

    @Test
    void setProfileOfNullWithNoProfileForThisHostSaysSoAndKeepsTheConnections() {
        try (Database database = Database.open(domainProfiles(false))) {
            assertThatThrownBy(() -> database.setProfile(null)).isInstanceOf(AstraException.BadInput.class)
                    .hasMessage("setProfile(null) takes the profile whose domain matches this host, "
                            + DatabaseProfiles.localHostName() + ", and no profile's does");
            assertThat(database.profile()).map(DatabaseProfile::name).contains("elsewhere");
            assertThat(database.store().startRun(new RunInfo("R", "h", 1, "c"))).isPositive();
        }
    }

    @Test
    void probeSaysSilentlyWhetherADatabaseAnswers() {
        assertThat(Database.probe(db.settings())).isEmpty();
        Optional<String> refused = Database.probe(db.isPostgres()
                ? DatabaseSettings.of("jdbc:postgresql://127.0.0.1:1/none", null)
                : DatabaseSettings.of("jdbc:sqlite:/proc/none/astra.db", null));
        assertThat(refused).isPresent();
    }

    @Test
    void anUnknownProfileLeavesTheDatabaseAsItWas() {
        try (Database database = Database.open(twoProfiles("main"))) {
            assertThatThrownBy(() -> database.setProfile("smal"))
                    .isInstanceOf(AstraException.BadInput.class).hasMessageContaining("did you mean 'small'");

            assertThat(database.profile()).map(DatabaseProfile::name).contains("main");
            assertThat(database.store().startRun(new RunInfo("R", "h", 1, "c"))).isPositive();
        }
    }

    @Test
    void thePostConnectHookRunsOnEveryNewConnectionAndSurvivesInitProcess() {
        AtomicInteger calls = new AtomicInteger();
        try (Database database = Database.open(db.settings().withPooling(false))) {
            database.postConnect(c -> {
                calls.incrementAndGet();
                try (Statement s = c.createStatement()) {
                    s.execute("select 1");
                }
            });
            int afterReconnect = calls.get();
            assertThat(afterReconnect).isPositive();

            database.store().startRun(new RunInfo("R", "h", 1, "c"));
            assertThat(calls.get()).as("unpooled: a connection per transaction").isGreaterThan(afterReconnect);

            database.initProcess();
            int afterInit = calls.get();
            database.store().startRun(new RunInfo("R", "h", 1, "c"));
            assertThat(calls.get()).isGreaterThan(afterInit);
        }
    }

    @Test
    void aFailingPostConnectHookIsReportedAndTheOldConnectionsStay() {
        try (Database database = Database.open(db.settings())) {
            assertThatThrownBy(() -> database.postConnect(c -> {
                throw new java.sql.SQLException("no such setting");
            })).isInstanceOf(AstraException.DatabaseUnavailable.class).hasMessageContaining("no such setting");

            assertThat(database.store().startRun(new RunInfo("R", "h", 1, "c"))).isPositive();
        }
    }

    @Test
    void becomeAdminWithoutAnAdminUserSaysWhatToConfigure() {
        try (Database database = Database.open(twoProfiles("main"))) {
            assertThatThrownBy(database::becomeAdmin)
                    .isInstanceOf(AstraException.BadConfig.class)
                    .hasMessage("no admin_user is configured for the profile 'main': add admin_user = ROLE to its section");
        }
    }
}
