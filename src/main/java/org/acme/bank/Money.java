package org.acme.bank;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money is a {@link BigDecimal} with scale 2, below {@link #LIMIT}; {@code numeric(19,2)} in the database. */
public final class Money {

    /** Every amount and balance stays below 10^15, well inside numeric(19,2). */
    public static final BigDecimal LIMIT = BigDecimal.TEN.pow(15);

    public static final int SCALE = 2;

    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Money() {
    }

    /** Scale 2 exactly; callers have already rejected amounts with more than two decimals. */
    public static BigDecimal of(BigDecimal value) {
        return value.setScale(SCALE, RoundingMode.UNNECESSARY);
    }
}
