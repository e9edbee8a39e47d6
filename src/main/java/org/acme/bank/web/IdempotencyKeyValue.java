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
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** An {@code Idempotency-Key} header as a client may send it: 1 to 255 visible ASCII characters. */
@Documented
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, METHOD, ANNOTATION_TYPE})
@Constraint(validatedBy = {})
@ReportAsSingleViolation
@Size(min = 1, max = 255)
@Pattern(regexp = "^[\\x21-\\x7E]+$")
public @interface IdempotencyKeyValue {

    String message() default "must be 1 to 255 visible ASCII characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
