package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DatabaseProfilesTest {

    static final Path CWD = Path.of("/work/project");
    static final Supplier<String> NO_HOST = () -> {
        throw new AssertionError("the host name is asked only when a profile has a domain");
    };

    static final Config CONFIG = Config.parse("""
            [database]
            url = jdbc:postgresql://base.example.org/astra
            user = base_user
            admin_user = base_admin
            pool_size = 7
            connect_timeout = 20s

            [database.profile utah]
            url = jdbc:postgresql://db.utah.edu:5432/sdss5db
            user = reader
            admin_user = writer
            domain = *.utah.edu

            [database.profile laptop]
            url = jdbc:postgresql://localhost/sdss5db
            pool_size = 2
            domain = local
            """, "utah.cfg", Map.of());

    static DatabaseChoice choose(String db, String profile, Map<String, String> env, Supplier<String> host) {
        return DatabaseProfiles.from(CONFIG).choose(CONFIG, db, profile, env, host, CWD);
    }

    @Test
    void readsEveryProfileInFileOrderWithThePoolSettingsOfDatabaseUnlessItsOwn() {
        DatabaseProfiles profiles = DatabaseProfiles.from(CONFIG);

        assertThat(profiles.all()).extracting(DatabaseProfile::name).containsExactly("utah", "laptop");
        DatabaseProfile utah = profiles.find("utah").orElseThrow();
        assertThat(utah.settings().url()).isEqualTo("jdbc:postgresql://db.utah.edu:5432/sdss5db");
        assertThat(utah.settings().user()).isEqualTo("reader");
        assertThat(utah.settings().poolSize()).isEqualTo(7);
        assertThat(utah.settings().connectTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(utah.admin()).contains("writer");
        DatabaseProfile laptop = profiles.find("laptop").orElseThrow();
        assertThat(laptop.settings().poolSize()).isEqualTo(2);
        assertThat(laptop.settings().user()).as("the user is not inherited").isNull();
        assertThat(laptop.admin()).isEmpty();
        assertThat(CONFIG.warnings()).isEmpty();
    }

    @Test
    void dbWinsOverEverything() {
        DatabaseChoice choice = choose("jdbc:sqlite:/tmp/x.db", "utah", Map.of("ASTRA_PROFILE", "laptop"), NO_HOST);

        assertThat(choice.settings().url()).isEqualTo("jdbc:sqlite:/tmp/x.db");
        assertThat(choice.activeProfile()).isEmpty();
        assertThat(choice.source()).isEqualTo("--db");
    }

    @Test
    void thenTheProfileOptionThenTheEnvironment() {
        assertThat(choose(null, "laptop", Map.of("ASTRA_PROFILE", "utah"), NO_HOST).profile().name()).isEqualTo("laptop");
        DatabaseChoice fromEnv = choose(null, null, Map.of("ASTRA_PROFILE", "utah"), NO_HOST);
        assertThat(fromEnv.profile().name()).isEqualTo("utah");
        assertThat(fromEnv.source()).isEqualTo("$ASTRA_PROFILE");
        assertThat(fromEnv.adminUser()).contains("writer");
    }

    @Test
    void thenTheFirstProfileWhoseDomainMatchesTheHost() {
        DatabaseChoice choice = choose(null, null, Map.of(), () -> "node17.chpc.utah.edu");

        assertThat(choice.profile().name()).isEqualTo("utah");
        assertThat(choice.source()).isEqualTo("domain of node17.chpc.utah.edu");
        assertThat(choose(null, null, Map.of(), () -> "mac.local").profile().name()).isEqualTo("laptop");
    }

    @Test
    void thenTheDatabaseSectionThenTheEmbeddedFile() {
        DatabaseChoice base = choose(null, null, Map.of(), () -> "elsewhere.example.com");
        assertThat(base.activeProfile()).isEmpty();
        assertThat(base.source()).isEqualTo("[database]");
        assertThat(base.settings().url()).isEqualTo("jdbc:postgresql://base.example.org/astra");
        assertThat(base.adminUser()).contains("base_admin");

        Config empty = Config.parse("", "empty.cfg", Map.of());
        DatabaseChoice embedded = DatabaseProfiles.from(empty).choose(empty, null, null, Map.of(), NO_HOST, CWD);
        assertThat(embedded.source()).isEqualTo("embedded default");
        assertThat(embedded.settings().isSqlite()).isTrue();
    }

    @Test
    void anUnknownProfileIsBadInputWithDidYouMeanEvenBesideDb() {
        assertThatThrownBy(() -> choose(null, "uta", Map.of(), NO_HOST))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("unknown database profile 'uta' (from --profile) in utah.cfg (did you mean 'utah'?)");
        assertThatThrownBy(() -> choose("jdbc:sqlite:/tmp/x.db", null, Map.of("ASTRA_PROFILE", "lptop"), NO_HOST))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessageContaining("'lptop' (from $ASTRA_PROFILE)").hasMessageContaining("did you mean 'laptop'");
        assertThatThrownBy(() -> choose(null, "zzzzzz", Map.of(), NO_HOST))
                .hasMessageEndingWith("the profiles are: utah, laptop");
    }

    @Test
    void aProfileNamedWhereNoneIsDefinedSaysHowToDefineOne() {
        Config empty = Config.parse("", "empty.cfg", Map.of());

        assertThatThrownBy(() -> DatabaseProfiles.from(empty).choose(empty, null, "utah", Map.of(), NO_HOST, CWD))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("--profile names the profile 'utah', but empty.cfg defines none:"
                        + " add a section [database.profile utah] with a url");
    }

    @Test
    void aProfileWithoutUrlOrWithABadValueIsBadConfigNamingItsSection() {
        Config noUrl = Config.parse("[database.profile x]\nuser = u\n", "a.cfg", Map.of());
        assertThatThrownBy(() -> DatabaseProfiles.from(noUrl))
                .isInstanceOf(AstraException.BadConfig.class).hasMessageStartingWith("a.cfg [database.profile x] has no url");

        Config badPool = Config.parse("[database.profile x]\nurl = jdbc:sqlite:/tmp/a.db\npool_size = many\n", "a.cfg", Map.of());
        assertThatThrownBy(() -> DatabaseProfiles.from(badPool))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("[database.profile x] pool_size 'many' is not a whole number");

        Config badUrl = Config.parse("[database.profile x]\nurl = mysql://h/db\n", "a.cfg", Map.of());
        assertThatThrownBy(() -> DatabaseProfiles.from(badUrl))
                .isInstanceOf(AstraException.BadConfig.class).hasMessageStartingWith("[database.profile x] url 'mysql://h/db'");
    }

    @Test
    void anUnknownKeyInAProfileDrawsAWarningWithDidYouMean() {
        Config config = Config.parse("[database.profile x]\nurl = jdbc:sqlite:/tmp/a.db\nadmin = root\n", "a.cfg", Map.of());

        assertThat(config.warnings()).containsExactly(
                "a.cfg [database.profile x]: unknown key 'admin' (did you mean 'admin_user'?)");
    }

    @Test
    void domainsMatchAsGlobsOrAsPlainDomains() {
        DatabaseSettings s = DatabaseSettings.of("jdbc:sqlite:/tmp/a.db", null);
        assertThat(new DatabaseProfile("p", s, null, "*.utah.edu").matchesHost("Node1.CHPC.utah.edu")).isTrue();
        assertThat(new DatabaseProfile("p", s, null, "*.utah.edu").matchesHost("utah.edu.evil.com")).isFalse();
        assertThat(new DatabaseProfile("p", s, null, "node?.utah.edu").matchesHost("node7.utah.edu")).isTrue();
        assertThat(new DatabaseProfile("p", s, null, "utah.edu").matchesHost("a.b.utah.edu")).isTrue();
        assertThat(new DatabaseProfile("p", s, null, "utah.edu").matchesHost("notutah.edu")).isFalse();
        assertThat(new DatabaseProfile("p", s, null, null).matchesHost("utah.edu")).isFalse();
    }

    @Test
    void withUserTakesTheUserOutOfTheUrl() {
        DatabaseSettings s = DatabaseSettings.of("jdbc:postgresql://h/db?user=a&currentSchema=x", null).withUser("b");

        assertThat(s.url()).isEqualTo("jdbc:postgresql://h/db?currentSchema=x");
        assertThat(s.effectiveUser()).contains("b");
        assertThat(s.withUrlParameter("currentSchema", "v,x").url()).isEqualTo("jdbc:postgresql://h/db?currentSchema=v,x");
    }

    @Test
    void theHostNameADomainIsMatchedAgainstIsTheOneHostnameDashFPrints() throws Exception {
        Process p = new ProcessBuilder("hostname", "-f").start();
        String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0 && !printed.isEmpty(),
                "hostname -f does not answer on this machine");

        assertThat(DatabaseProfiles.localHostName()).isEqualTo(printed);
    }
}
