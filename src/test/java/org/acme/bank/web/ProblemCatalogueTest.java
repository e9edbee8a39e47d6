package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/api.md's problem table lists exactly the problem types the service answers, each with its status and title,
 * in catalogue order; the OpenAPI document is checked against the same catalogue by {@code OperationsTest}.
 */
class ProblemCatalogueTest {

    /** {@code | 409 | `/problems/deadlock` | Deadlock | when ... |} */
    private static final Pattern ROW = Pattern.compile("^\\| (\\d{3}) \\| `(/problems/[a-z-]+)` \\| ([^|]+?) \\|",
            Pattern.MULTILINE);

    @Test
    void docsApiListsEveryProblemTypeWithItsStatusAndTitle() throws Exception {
        String api = Files.readString(Path.of("docs/api.md"));
        Matcher rows = ROW.matcher(api);
        StringBuilder documented = new StringBuilder();
        while (rows.find()) {
            documented.append(rows.group(1)).append(' ').append(rows.group(2)).append(' ').append(rows.group(3))
                    .append('\n');
        }

        List<String> catalogue = Arrays.stream(ProblemType.values())
                .map(type -> type.status() + " " + type.type() + " " + type.title())
                .toList();
        assertEquals(String.join("\n", catalogue) + "\n", documented.toString());
    }
}
