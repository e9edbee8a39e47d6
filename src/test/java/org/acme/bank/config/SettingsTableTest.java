package org.acme.bank.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/operations.md says what the code does: every {@code bank.*} default as BankConfig writes
 * it, every {@code quarkus.*} value as application.properties sets it, and no {@code bank.*} setting left out.
 */
class SettingsTableTest {

    private static final Path OPERATIONS = Path.of("docs", "operations.md");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    @Test
    void theTableShowsEveryBankDefaultAsTheCodeHasIt() throws IOException {
        Map<String, String> documented = documented();
        Map<String, String> bank = new TreeMap<>();
        documented.forEach((name, value) -> {
            if (name.startsWith("bank.")) {
                bank.put(name, value);
            }
        });
        assertEquals(Settings.defaults(), bank, OPERATIONS + " and BankConfig disagree");
    }

    @Test
    void theTableShowsEveryQuarkusSettingAsApplicationPropertiesSetsIt() throws IOException {
        Properties application = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"))) {
            application.load(in);
        }
        documented().forEach((name, value) -> {
            if (name.startsWith("quarkus.")) {
                assertEquals(value, application.getProperty(name), name + " in " + OPERATIONS);
            }
        });
    }

    /**
     * The table's rows, such as {@code | `bank.a.b` / `c` | `1s` / `2` (in dev ...) | meaning |}: names after the
     * first are relative to its parent, and values are those before any parenthesis.
     */
    private static Map<String, String> documented() throws IOException {
        Map<String, String> settings = new TreeMap<>();
        for (String line : Files.readAllLines(OPERATIONS)) {
            String[] cells = line.split("\\|");
            if (cells.length < 4 || !cells[1].trim().startsWith("`bank.") && !cells[1].trim().startsWith("`quarkus.")) {
                continue;
            }
            List<String> names = ticked(cells[1]);
            String first = names.get(0);
            String parent = first.substring(0, first.lastIndexOf('.') + 1);
            String valueCell = cells[2].contains("(") ? cells[2].substring(0, cells[2].indexOf('(')) : cells[2];
            List<String> values = ticked(valueCell);
            assertEquals(names.size(), values.size(), "one value per name in: " + line);
            for (int i = 0; i < names.size(); i++) {
                settings.put(i == 0 ? first : parent + names.get(i), values.get(i));
            }
        }
        return settings;
    }

    private static List<String> ticked(String cell) {
        List<String> found = new ArrayList<>();
        Matcher matcher = TICKED.matcher(cell);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
