package dev.fleetlet.server.device;

import dev.fleetlet.protocol.message.HardwareFacts;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Hardware facts of a device as last reported at enrollment or in a birth message; fields may be null. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceHardware(String model, String arch, String variant, Long memoryMb, String kernel, String os,
                             String agentVersion, List<String> capabilities) {

    public static final DeviceHardware UNKNOWN = new DeviceHardware(null, null, null, null, null, null, null, List.of());

    public DeviceHardware {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /** From the protocol record; {@link #UNKNOWN} for null. */
    public static DeviceHardware from(HardwareFacts facts) {
        if (facts == null) {
            return UNKNOWN;
        }
        return new DeviceHardware(facts.model(), facts.arch(), facts.variant(), facts.memoryMb(), facts.kernel(),
                facts.os(), facts.agentVersion(), facts.capabilities());
    }
}
