package dev.fleetlet.protocol.codec;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The result of decoding a payload: a message or a rejection. Decoding never throws.
 *
 * @param <T> the message type
 */
public sealed interface Decoded<T> {

    /** A valid message. */
    record Ok<T>(T value) implements Decoded<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A refused payload and why. */
    record Rejected<T>(Rejection rejection) implements Decoded<T> {
        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
        }
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The message; throws {@link IllegalStateException} carrying the rejection when there is none. */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException(((Rejected<T>) this).rejection().toString());
    }

    /** The rejection; throws {@link IllegalStateException} when the payload was valid. */
    default Rejection rejection() {
        if (this instanceof Rejected<T> r) {
            return r.rejection();
        }
        throw new IllegalStateException("payload was valid");
    }

    /** Calls exactly one of the two consumers. */
    default void handle(Consumer<? super T> onOk, Consumer<Rejection> onRejected) {
        if (this instanceof Ok<T> ok) {
            onOk.accept(ok.value());
        } else {
            onRejected.accept(((Rejected<T>) this).rejection());
        }
    }
}
