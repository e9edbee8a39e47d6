package org.acme.bank;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Who asks: the token's subject and the roles that matter here. Built by the web layer from the verified token and
 * handed down with each command, so that every rule of who may do what is decided where the data is read.
 */
public record Caller(String subject, Set<Role> roles) {

    /** The widest subject, in characters: what an owner column and an idempotency key's subject hold. */
    public static final int MAX_SUBJECT_LENGTH = 255;

    /**
     * Drawn as nothing, though Unicode files them as letters and symbols: the Hangul fillers, a blank Braille cell, a
     * null notehead.
     */
    private static final Set<Integer> BLANK_GLYPHS = Set.of(0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x1D159);

    /** The roles the bank knows; a caller with neither is a customer. */
    public enum Role {
        /** Opens accounts for anyone, with an opening balance: the only way money enters. Reads every account. */
        TELLER,
        /** Runs the audit. Reads every account and transfer. */
        AUDITOR
    }

    public Caller {
        Objects.requireNonNull(subject, "subject");
        roles = Set.copyOf(roles);
    }

    /**
     * Whether {@code text} can be a subject, the one rule for a token's {@code sub} and an account's owner: 1 to
     * {@link #MAX_SUBJECT_LENGTH} characters, at least one visible, no control character, and no unpaired surrogate.
     * A lone surrogate has no UTF-8 form: the driver would send it as {@code ?}, and every subject differing only there
     * would become the same owner.
     */
    public static boolean isSubject(String text) {
        if (text == null || text.isEmpty() || text.codePointCount(0, text.length()) > MAX_SUBJECT_LENGTH) {
            return false;
        }
        boolean visible = false;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int character = text.codePointAt(i);
            int type = Character.getType(character);
            if (type == Character.CONTROL || type == Character.SURROGATE) {
                return false;
            }
            visible |= isVisible(character, type);
        }
        return visible;
    }

    /**
     * Anything but a space, a format character, a combining mark (nothing to combine with on its own) or a character
     * drawn blank. A code point unknown to this JDK's Unicode tables counts as visible: a later Unicode may make it a
     * letter, and a subject must not be refused only because the JDK running the service is older.
     */
    private static boolean isVisible(int character, int type) {
        boolean blank = switch (type) {
            case Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> true;
            default -> Character.isWhitespace(character) || BLANK_GLYPHS.contains(character);
        };
        return !blank;
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Tellers and auditors read every account and transfer; a customer only their own. */
    public boolean readsEverything() {
        return has(Role.TELLER) || has(Role.AUDITOR);
    }

    /** Refuses the action unless the caller has the role. */
    public void require(Role role, String action) {
        if (!has(role)) {
            throw new ForbiddenActionException(subject, action + " needs the role " + role.name().toLowerCase(Locale.ROOT));
        }
    }
}
