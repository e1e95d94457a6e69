package dev.fleetlet.server.api;

import io.micronaut.context.env.PropertyExpressionResolver;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.value.PropertyResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns Micronaut's HTTPS listener on when {@code fleetlet.http.tls.keystore} is set. {@code application.yml}
 * maps {@code micronaut.server.ssl.enabled} to the placeholder {@value #EXPRESSION}, which this resolver answers
 * with {@code true} when a keystore is configured and {@code false} otherwise; the TLS listener itself is
 * Micronaut's ({@code micronaut.server.ssl.*}).
 *
 * <p>Failure modes: a keystore that is not a readable file, or a keystore without
 * {@code fleetlet.http.tls.password}, fails the start with a {@link ConfigurationException} naming the key.
 */
public final class HttpsSwitch implements PropertyExpressionResolver {

    /** The placeholder expression answered by this resolver. */
    public static final String EXPRESSION = "fleetlet.http.tls.keystore-present";
    static final String KEYSTORE = "fleetlet.http.tls.keystore";
    static final String PASSWORD = "fleetlet.http.tls.password";

    @Override
    public <T> Optional<T> resolve(PropertyResolver properties, ConversionService conversionService,
                                   String expression, Class<T> requiredType) {
        if (!EXPRESSION.equals(expression)) {
            return Optional.empty();
        }
        return conversionService.convert(keystoreConfigured(properties), requiredType);
    }

    private static boolean keystoreConfigured(PropertyResolver properties) {
        String keystore = properties.get(KEYSTORE, String.class).orElse("").trim();
        if (keystore.isEmpty()) {
            return false;
        }
        if (!Files.isReadable(Path.of(keystore)) || Files.isDirectory(Path.of(keystore))) {
            throw new ConfigurationException(KEYSTORE + ": not a readable keystore file: " + keystore);
        }
        if (properties.get(PASSWORD, String.class).orElse("").isEmpty()) {
            throw new ConfigurationException(PASSWORD + ": required when " + KEYSTORE + " is set");
        }
        return true;
    }
}
