package org.acme.bank.hold;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Where a hold stands: pending until it is posted, voided, or expires; each of those once and for good. */
public enum HoldStatus {
    PENDING, POSTED, VOIDED, EXPIRED;

    /** As the schema and the API spell it. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Stored as its label, which the schema's check constraint lists. */
    @Converter(autoApply = true)
    public static class Column implements AttributeConverter<HoldStatus, String> {

        @Override
        public String convertToDatabaseColumn(HoldStatus status) {
            return status.label();
        }

        @Override
        public HoldStatus convertToEntityAttribute(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }
}
