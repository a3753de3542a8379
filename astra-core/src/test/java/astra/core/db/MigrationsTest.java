package astra.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void latestVersionIsTheHighestMigrationOfBothDialects() throws Exception {
        List<Integer> postgres = versions("postgresql");
        List<Integer> sqlite = versions("sqlite");

        assertThat(postgres).isNotEmpty().isEqualTo(sqlite);
        assertThat(postgres.get(postgres.size() - 1)).isEqualTo(Integer.parseInt(Migrations.LATEST_VERSION));
    }

    @Test
    void theOldLayoutMovesEveryTableAMigrationCreates() throws Exception {
        for (String dialect : List.of("postgresql", "sqlite")) {
            Path folder = Path.of(MigrationsTest.class.getClassLoader().getResource("astra/db/migration/" + dialect).toURI());
            java.util.Set<String> created = new java.util.TreeSet<>(List.of(Migrations.HISTORY_TABLE));
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Matcher m = java.util.regex.Pattern.compile("(?i)create table (?:if not exists )?([a-z_]+)")
                            .matcher(Files.readString(file));
                    while (m.find()) {
                        created.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            assertThat(new java.util.TreeSet<>(OldLayout.TABLES)).as(dialect).isEqualTo(created);
        }
    }

    @Test
    void anEmptyDatabaseIsNotAtTheLatestVersion(@TempDir Path dir) {
        DatabaseSettings settings = DatabaseSettings.of("jdbc:sqlite:" + dir.resolve("empty.db"), null);

        assertThat(Migrations.isLatest(settings, Connections.driver(settings))).isFalse();
    }

    @Test
    void anOpenedDatabaseIsAtTheLatestVersion(@TempDir Path dir) {
        try (Database database = Database.open(DatabaseSettings.of("jdbc:sqlite:" + dir.resolve("a.db"), null))) {
            assertThat(Migrations.isLatest(database.settings(), database.dataSource())).isTrue();
        }
    }

    private static List<Integer> versions(String dialect) throws IOException, URISyntaxException {
        Path folder = Path.of(MigrationsTest.class.getClassLoader().getResource("astra/db/migration/" + dialect).toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> VERSION.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }
}
