package org.acme.bank.web;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;

/**
 * An amount of money as a client may send it: above -10^15 and below 10^15, at most two decimals. The two bounds are
 * checked by comparison because {@code @Digits} alone computes {@code precision - scale} in an {@code int}, which
 * overflows for a scale such as that of {@code 1e2147483647} and lets the value through.
 */
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, ANNOTATION_TYPE})
@Constraint(validatedBy = {})
@ReportAsSingleViolation
@DecimalMax(value = "1000000000000000", inclusive = false)
@DecimalMin(value = "-1000000000000000", inclusive = false)
@Digits(integer = 15, fraction = 2)
public @interface MoneyAmount {

    String message() default "must be below 10^15 with at most 2 decimals";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
