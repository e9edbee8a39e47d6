package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** The hand-made check that lets a bulk's plain items skip Bean Validation never lets through what it would refuse. */
class BulkItemTest {

    private static final ValidatorFactory FACTORY = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    @AfterContainer
    static void close() {
        FACTORY.close();
    }

    @Property(tries = 5000)
    void whatThePlainCheckLetsThroughBeanValidationAccepts(@ForAll("items") BulkItem item) {
        if (item.plainlyValid()) {
            assertEquals(Set.of(), VALIDATOR.validate(item), item.toString());
        }
    }

    @Property(tries = 200)
    void anOrdinaryItemIsPlainlyValid(@ForAll("ordinary") BulkItem item) {
        assertTrue(item.plainlyValid(), item.toString());
    }

    @Provide
    Arbitrary<BulkItem> items() {
        Arbitrary<Long> id = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(-1L, 0L, 1L, 2L, Long.MAX_VALUE))
                .injectNull(0.1);
        Arbitrary<BigDecimal> amount = Arbitraries.oneOf(
                Arbitraries.bigDecimals(),
                Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.TEN.pow(20).negate(),
                        BigInteger.TEN.pow(20)), Arbitraries.integers().between(-20, 20)).as(BigDecimal::new),
                Arbitraries.of(new BigDecimal("999999999999999.99"), new BigDecimal("1000000000000000.00"),
                        new BigDecimal("1E+15"), new BigDecimal("0.001"), new BigDecimal("0.00"),
                        new BigDecimal("-0.01"))).injectNull(0.1);
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u0020', '\u007f').ofMinLength(250).ofMaxLength(260))
                .injectNull(0.3);
        return Combinators.combine(id, id, amount, key).as(BulkItem::new);
    }

    @Provide
    Arbitrary<BulkItem> ordinary() {
        Arbitrary<Long> id = Arbitraries.longs().between(1, Long.MAX_VALUE);
        return Combinators.combine(id, id, Arbitraries.longs().between(1, 99_999_999_999_999_99L),
                        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(255).injectNull(0.5))
                .filter((from, to, cents, key) -> !from.equals(to))
                .as((from, to, cents, key) -> new BulkItem(from, to, BigDecimal.valueOf(cents, 2), key));
    }
}
