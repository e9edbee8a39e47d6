package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransferRequestValidationTest {

    private static final ValidatorFactory FACTORY = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @Test
    void aWellFormedTransferIsValid() {
        assertEquals(Set.of(), invalid(new TransferRequest(1L, 2L, new BigDecimal("10.00"))));
        assertEquals(Set.of(), invalid(new TransferRequest(1L, 2L, new BigDecimal("0.01"))));
        assertEquals(Set.of(), invalid(new TransferRequest(1L, 2L, new BigDecimal("999999999999999.99"))));
        assertEquals(Set.of(), invalid(new TransferRequest(1L, Long.MAX_VALUE, new BigDecimal("1E+2"))));
    }

    @ParameterizedTest(name = "amount {0} is invalid")
    @CsvSource({"0", "0.00", "-0.00", "-1", "0.001", "10.123", "1000000000000000", "1E+15", "1E-3"})
    void amountsOutsideTheRulesAreInvalid(String amount) {
        assertEquals(Set.of("amount"), invalid(new TransferRequest(1L, 2L, new BigDecimal(amount))));
    }

    @Test
    void missingAndOutOfRangeIdsAreInvalid() {
        assertEquals(Set.of("from"), invalid(new TransferRequest(null, 2L, BigDecimal.ONE)));
        assertEquals(Set.of("to"), invalid(new TransferRequest(1L, 0L, BigDecimal.ONE)));
        assertEquals(Set.of("from"), invalid(new TransferRequest(-5L, 2L, BigDecimal.ONE)));
        assertEquals(Set.of("amount"), invalid(new TransferRequest(1L, 2L, null)));
    }

    @Test
    void aTransferToTheSameAccountIsInvalid() {
        assertEquals(Set.of("distinctAccounts"), invalid(new TransferRequest(7L, 7L, BigDecimal.ONE)));
    }

    @Test
    void openingRequestsFollowTheSameMoneyRules() {
        assertEquals(Set.of(), invalid(new OpenAccountRequest("Alice", null)));
        assertEquals(Set.of(), invalid(new OpenAccountRequest(null, null)));
        assertEquals(Set.of(), invalid(new OpenAccountRequest("A".repeat(255), BigDecimal.ZERO)));
        assertEquals(Set.of("owner"), invalid(new OpenAccountRequest(" ", BigDecimal.ONE)));
        assertEquals(Set.of("owner"), invalid(new OpenAccountRequest("", BigDecimal.ONE)));
        assertEquals(Set.of("owner"), invalid(new OpenAccountRequest("A".repeat(256), BigDecimal.ONE)));
        assertEquals(Set.of(), invalid(new OpenAccountRequest("\ud83d\ude00".repeat(255), BigDecimal.ONE)));
        assertEquals(Set.of("owner"), invalid(new OpenAccountRequest("\ud83d\ude00".repeat(256), BigDecimal.ONE)));
        for (String notASubject : List.of("Bob\ud800", "\udc00Bob", "Bob\u0085", "\u00a0", "\u2003\u200b", "\ufeff",
                "\u3164", "\u2800\u115f", "\u1160\uffa0", "\ud834\udd59", "\ufe0f", "\u0301", "\u20dd", "\u0903")) {
            assertEquals(Set.of("owner"), invalid(new OpenAccountRequest(notASubject, BigDecimal.ONE)), notASubject);
        }
        assertEquals(Set.of(), invalid(new OpenAccountRequest("Bob\u00a0Smith", BigDecimal.ONE)));
        for (String subject : List.of("\u00e9", "e\u0301", "\u4e2d", "7", "_", "+", "^", "-", ".", "\u20ac",
                "\ud83d\ude00\ufe0f", "\ue000", "\u0378")) {
            assertEquals(Set.of(), invalid(new OpenAccountRequest(subject, BigDecimal.ONE)), subject);
        }
        assertEquals(Set.of("balance"), invalid(new OpenAccountRequest("Alice", new BigDecimal("-0.01"))));
        assertEquals(Set.of("balance"), invalid(new OpenAccountRequest("Alice", new BigDecimal("1.001"))));
    }

    private static Set<String> invalid(Object request) {
        return VALIDATOR.validate(request).stream()
                .map(violation -> violation.getPropertyPath().toString())
                .collect(Collectors.toSet());
    }
}
