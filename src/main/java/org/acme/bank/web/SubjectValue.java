package org.acme.bank.web;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.acme.bank.Caller;

/** A subject as a client may name one, an account's owner: {@link Caller#isSubject}; null (not given) passes. */
@Documented
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, METHOD, RECORD_COMPONENT})
@Constraint(validatedBy = SubjectValue.Rule.class)
public @interface SubjectValue {

    String message() default "must be 1 to " + Caller.MAX_SUBJECT_LENGTH + " characters, at least one visible, without "
            + "control characters or unpaired surrogates";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks the constraint. */
    class Rule implements ConstraintValidator<SubjectValue, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || Caller.isSubject(value);
        }
    }
}
