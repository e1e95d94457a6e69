package dev.fleetlet.server.device;

import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.api.Problem;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.selector.LabelRules;
import dev.fleetlet.server.device.selector.Selector;
import dev.fleetlet.server.device.selector.SelectorSyntaxException;
import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.events.EventTypes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device registry's operations for operators: look up, list by selector and status, rename and relabel,
 * decommission. Changes publish events on the {@link EventBus} in the same transaction as the change.
 * Bad input (selector syntax, label syntax, unknown status) becomes an {@link ApiException} naming the field.
 */
@Singleton
public class DeviceService {

    private static final Logger log = LoggerFactory.getLogger(DeviceService.class);

    private final DeviceRepository devices;
    private final EventBus events;
    private final Jdbc jdbc;
    private final Clock clock;
    private final List<DecommissionListener> decommissionListeners;

    /** Told after a device was decommissioned, e.g. to drop cached credentials or cut its broker session. */
    @FunctionalInterface
    public interface DecommissionListener {
        void decommissioned(String deviceId);
    }

    public DeviceService(DeviceRepository devices, EventBus events, Jdbc jdbc, Clock clock,
                         List<DecommissionListener> decommissionListeners) {
        this.devices = devices;
        this.events = events;
        this.jdbc = jdbc;
        this.clock = clock;
        this.decommissionListeners = List.copyOf(decommissionListeners);
    }

    public Device get(String id) {
        return devices.find(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no device with id '" + id + "'"));
    }

    /** Lists devices; {@code selectorText} and {@code status} may be null or blank for "all". */
    public Page<Device> list(String selectorText, String status, int page, int size) {
        Page.check(page, size);
        return devices.list(selectorParam(selectorText), statusParam(status), page, size);
    }

    /** The {@code selector} request parameter, parsed; a syntax error is an {@link ErrorCode#INVALID_SELECTOR} problem. */
    public static Selector selectorParam(String selectorText) {
        try {
            return Selector.parse(selectorText);
        } catch (SelectorSyntaxException e) {
            throw new ApiException(ErrorCode.INVALID_SELECTOR, "selector " + e.getMessage(),
                    List.of(new Problem.FieldError("selector", e.getMessage())));
        }
    }

    /** The {@code status} request parameter, parsed; null or blank means any status. */
    public static DeviceStatus statusParam(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return DeviceStatus.parse(status.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "status", e.getMessage());
        }
    }

    /** Applies a merge patch of name and labels. */
    public Device patch(String id, DevicePatch patch) {
        Map<String, String> set = new TreeMap<>();
        List<String> remove = new ArrayList<>();
        if (patch.labels() != null) {
            List<Problem.FieldError> errors = new ArrayList<>();
            patch.labels().forEach((k, v) -> {
                if (v == null) {
                    LabelRules.keyProblem(k).ifPresentOrElse(p -> errors.add(new Problem.FieldError("labels." + k, p)),
                            () -> remove.add(k));
                } else {
                    set.put(k, v);
                }
            });
            LabelRules.problems(set).forEach((f, m) -> errors.add(new Problem.FieldError(f, m)));
            if (!errors.isEmpty()) {
                throw new ApiException(ErrorCode.INVALID_LABEL, errors.get(0).field() + ": " + errors.get(0).message(), errors);
            }
        }
        return jdbc.tx(c -> {
            Device current = get(id);
            if (current.decommissioned()) {
                throw new ApiException(ErrorCode.CONFLICT, "device '" + id + "' is decommissioned");
            }
            Map<String, String> labels = new TreeMap<>(current.labels());
            remove.forEach(labels::remove);
            labels.putAll(set);
            String name = patch.name() == null ? current.name() : patch.name().trim();
            Instant now = clock.instant();
            devices.update(id, name, labels, now);
            if (!labels.equals(current.labels())) {
                events.publish(EventTypes.LABELS_CHANGED, id, Map.of("labels", Labels.format(labels)));
                log.info("device labels changed deviceId={} labels={}", id, Labels.format(labels));
            }
            if (!Objects.equals(name, current.name())) {
                events.publish(EventTypes.RENAMED, id, Map.of("name", name));
            }
            return get(id);
        });
    }

    /** Revokes the device's credentials for good; decommissioning twice answers the same device. */
    public Device decommission(String id, String by) {
        Device d = jdbc.tx(c -> {
            Device current = get(id);
            if (current.decommissioned()) {
                return current;
            }
            devices.decommission(id, clock.instant());
            events.publish(EventTypes.DECOMMISSIONED, id, Map.of("by", by == null ? "" : by));
            return get(id);
        });
        decommissionListeners.forEach(l -> l.decommissioned(id));
        log.info("device decommissioned deviceId={} by={}", id, by);
        return d;
    }
}
