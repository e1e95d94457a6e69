package dev.fleetlet.drivers;

import java.util.Objects;

/**
 * How far a {@link Reading} can be trusted. A closed set: every consumer switches over it exhaustively.
 *
 * <ul>
 *   <li>{@link Ok}: the value was read and passed every check the datasheet allows.</li>
 *   <li>{@link Suspect}: a value exists but is implausible (out of range, stuck, power-on default); the reason says why.</li>
 *   <li>{@link Failed}: no usable value (bus error, CRC failure, missing node); the value is {@code NaN}.</li>
 * </ul>
 */
public sealed interface Quality {

    /** The reading is trustworthy. */
    record Ok() implements Quality {
    }

    /** The reading has a value that should not be trusted blindly. */
    record Suspect(String reason) implements Quality {
        public Suspect {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The reading has no usable value. */
    record Failed(String reason) implements Quality {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    Ok OK = new Ok();

    static Suspect suspect(String reason) {
        return new Suspect(reason);
    }

    static Failed failed(String reason) {
        return new Failed(reason);
    }

    /** The wire name of the quality: {@code ok}, {@code suspect} or {@code failed}. */
    default String code() {
        if (this instanceof Suspect) {
            return "suspect";
        }
        return this instanceof Failed ? "failed" : "ok";
    }

    /** The reason for a suspect or failed quality, or {@code null} when ok. */
    default String reason() {
        if (this instanceof Suspect s) {
            return s.reason();
        }
        return this instanceof Failed f ? f.reason() : null;
    }
}
