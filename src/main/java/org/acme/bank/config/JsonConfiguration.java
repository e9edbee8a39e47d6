package org.acme.bank.config;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** JSON rules for money: nothing dropped or truncated in silence on the way in, no exponents on the way out. */
@Singleton
public class JsonConfiguration implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        // {"from": 1.9} must not quietly become account 1.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // Nor {"from": " 1"} or "01" account 1, nor {"owner": 5} the owner "5": a field has the type the document
        // declares. Money is the one field that is either (MoneyReader).
        mapper.coercionConfigFor(LogicalType.Integer).setAcceptBlankAsEmpty(false)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // {"amount": 1, "amount": 1000} is ambiguous: refuse it rather than pick one.
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // {"openingBalance": 500} or {"idempotencyKey": "k"} must not be dropped in silence: the client meant something.
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        // A bulk's items are read as a tree first, to be answered one by one: a decimal there must keep every digit,
        // not pass through a double (600000000000000.07 would move .10).
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        mapper.registerModule(new SimpleModule("money").addDeserializer(BigDecimal.class, new MoneyReader()));
    }

    /**
     * Every decimal a client sends is money: a JSON number, or a string in plain decimal notation ({@code "10.25"}), as
     * clients whose numbers are binary floating point send it; no money a client sends is negative, so neither is the
     * string. Jackson alone would also take {@code " 5"}, {@code "+5"}, {@code ".5"}, {@code "1e1"}, {@code "-0"}
     * and read {@code ""} as no amount; the API document declares only the plain form, so anything else is
     * malformed.
     */
    static final class MoneyReader extends StdScalarDeserializer<BigDecimal> {

        /** Longer than any amount below 10^15 with two decimals, short enough that parsing costs nothing. */
        private static final int MAX_LENGTH = 40;
        private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]*)(\\.[0-9]+)?");

        MoneyReader() {
            super(BigDecimal.class);
        }

        @Override
        public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return switch (parser.currentToken()) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
                case VALUE_STRING -> {
                    String text = parser.getText();
                    if (text.length() > MAX_LENGTH || !DECIMAL.matcher(text).matches()) {
                        throw context.weirdStringException(text, BigDecimal.class, "not a decimal such as \"10.25\"");
                    }
                    yield new BigDecimal(text);
                }
                default -> (BigDecimal) context.handleUnexpectedToken(BigDecimal.class, parser);
            };
        }
    }
}
