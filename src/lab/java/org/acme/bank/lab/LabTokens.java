package org.acme.bank.lab;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whom the lab acts for. The owners (tokens with neither role) send the transfers, each from its own accounts with its
 * own token, as the service demands; a teller, when there is one, opens fresh funded accounts for them before each
 * run (else the owners' existing funded accounts are used); an auditor, when there is one, audits the books after each
 * run (else they are not audited).
 */
record LabTokens(List<Token> owners, Optional<Token> teller, Optional<Token> auditor) {

    /** Dev mode's sample users (src/dev/DevTokens.java), whose tokens it serves at /dev/tokens/{user}. */
    static final List<String> SAMPLE_USERS = List.of("Alice", "Bob", "Carol", "Dave", "Erin", "Teller", "Auditor");

    static LabTokens of(List<Token> tokens) {
        List<Token> owners = tokens.stream().filter(token -> !token.teller() && !token.auditor()).toList();
        if (owners.isEmpty()) {
            throw new IllegalArgumentException("no owner's token (one without the teller or auditor role) among "
                    + tokens + ": a transfer is sent by the owner of the account it debits");
        }
        return new LabTokens(owners, tokens.stream().filter(Token::teller).findFirst(),
                tokens.stream().filter(Token::auditor).findFirst());
    }

    /**
     * The tokens at {@code source}: a URL, read at URL/{user} for each of the sample users that answers 200 (what dev
     * mode serves), or a directory, each of whose files (in name order, hidden ones aside) holds one token. Empty when
     * there are none.
     */
    static List<Token> read(String source, BankClient bank) throws IOException, InterruptedException {
        List<Token> tokens = new ArrayList<>();
        if (source.startsWith("http://") || source.startsWith("https://")) {
            for (String user : SAMPLE_USERS) {
                URI location = URI.create(source.replaceAll("/+$", "") + "/" + user);
                Optional<String> token = bank.text(location);
                if (token.isPresent()) {
                    tokens.add(token(token.get(), location.toString()));
                }
            }
            return tokens;
        }
        try (Stream<Path> files = Files.list(Path.of(source))) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith(".")).sorted().toList()) {
                tokens.add(token(Files.readString(file), file.toString()));
            }
        }
        return tokens;
    }

    private static Token token(String text, String where) {
        try {
            return Token.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
