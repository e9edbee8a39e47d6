package org.acme.bank.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** JSON rules for money: nothing dropped or truncated in silence on the way in, no exponents on the way out. */
@Singleton
public class JsonConfiguration implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        // {"from": 1.9} must not quietly become account 1.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // {"amount": 1, "amount": 1000} is ambiguous: refuse it rather than pick one.
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // {"openingBalance": 500} or {"idempotencyKey": "k"} must not be dropped in silence: the client meant something.
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }
}
