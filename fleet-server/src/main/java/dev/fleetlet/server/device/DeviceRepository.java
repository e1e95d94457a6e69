package dev.fleetlet.server.device;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.device.selector.Selector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence port of the device registry. The JDBC implementation runs on H2 and PostgreSQL and is
 * checked by one contract suite against both. Methods join the caller's transaction when one is open.
 * Unknown ids give empty results or {@code false}, never exceptions; a duplicate serial or id on insert
 * throws {@link dev.fleetlet.server.db.DuplicateKeyException}.
 */
public interface DeviceRepository {

    void insert(NewDevice device);

    Optional<Device> find(String id);

    Optional<Device> findBySerial(String serial);

    /**
     * Devices matching the selector (empty selector: all) and, when not null, the status, ordered by id.
     */
    Page<Device> list(Selector selector, DeviceStatus status, int page, int size);

    /** Sets name and replaces the label set. */
    boolean update(String id, String name, Map<String, String> labels, Instant at);

    /** Replaces the secret hash and hardware facts (re-enrollment); only for active devices. */
    boolean replaceCredentials(String id, String secretHash, DeviceHardware hardware, Instant at);

    Optional<DeviceCredentials> credentials(String id);

    /** Drops the secret hash, marks decommissioned and offline; false if unknown or already decommissioned. */
    boolean decommission(String id, Instant at);

    /**
     * Marks an active device online; {@code hardware} (nullable) replaces the stored facts.
     *
     * @return whether it was offline before (a transition)
     */
    boolean markOnline(String id, Instant at, DeviceHardware hardware);

    /** Marks an active device offline; returns whether it was online before. */
    boolean markOffline(String id, Instant at, String reason);

    /**
     * Marks every active device that is stored as online offline with {@code reason}, in one statement: the
     * server's own shutdown, or the clean-up at start after a run that ended without one.
     *
     * @param at the new last-seen time, or null to keep each device's last-seen time
     * @return the ids of the devices that were online (the transitions)
     */
    List<String> markAllOffline(Instant at, String reason);

    /** Number of devices with the status. */
    long count(DeviceStatus status);
}
