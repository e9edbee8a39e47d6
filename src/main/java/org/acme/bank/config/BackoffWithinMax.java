package org.acme.bank.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** The optimistic retry's first pause may not exceed its longest: the backoff would shrink instead of grow. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = BackoffWithinMax.Validator.class)
public @interface BackoffWithinMax {

    String message() default "backoff-initial must not be greater than backoff-max";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<BackoffWithinMax, BankConfig.Optimistic> {
        @Override
        public boolean isValid(BankConfig.Optimistic settings, ConstraintValidatorContext context) {
            return settings == null || settings.backoffInitial() == null || settings.backoffMax() == null
                    || settings.backoffInitial().compareTo(settings.backoffMax()) <= 0;
        }
    }
}
