package dev.fleetlet.protocol.message;

/** An enum with a stable lowercase wire name, used by the JSON codec. */
public interface WireEnum {

    /** The name on the wire. */
    String wire();

    /** Looks up a constant by wire name; throws {@link IllegalArgumentException} listing the allowed names. */
    static <E extends Enum<E> & WireEnum> E fromWire(Class<E> type, String wire) {
        for (E e : type.getEnumConstants()) {
            if (e.wire().equals(wire)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.wire());
        }
        throw new IllegalArgumentException("'" + wire + "' is not one of: " + allowed);
    }
}
