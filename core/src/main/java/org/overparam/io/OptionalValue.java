package org.overparam.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Optional;

/**
 * Writes an {@link Optional} as its value, or null when empty: a key that is written with null when a result
 * says "asked for but not reached" ({@code steps_to_fit: null}), while a null {@code Optional} under
 * {@code @JsonInclude(NON_NULL)} leaves the key out ("not asked for"). What jackson-datatype-jdk8 does, without a
 * second dependency.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class OptionalValue extends StdSerializer<Optional> {
    OptionalValue() {
        super(Optional.class);
    }

    @Override
    public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (value.isPresent()) {
            provider.defaultSerializeValue(value.get(), gen);
        } else {
            gen.writeNull();
        }
    }
}
